import { StreamCommands } from '../streams/stream-commands.js';

/**
 * Every typed single-command method: keys, strings, hashes, lists, sets, sorted sets, JSON,
 * models and streams. `RedisService` is one of these; so is the recorder handed to `pipeline()` and
 * `transaction()` callbacks, where each call queues its command instead of sending it.
 */
export class RedisCommands extends StreamCommands {}
