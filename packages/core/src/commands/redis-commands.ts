import { ModelCommands } from './models.js';

/**
 * Every typed single-command method: keys, strings, hashes, lists, sets, sorted sets, JSON and
 * models. `RedisService` is one of these; so is the recorder handed to `pipeline()` and
 * `transaction()` callbacks, where each call queues its command instead of sending it.
 */
export class RedisCommands extends ModelCommands {}
