import { StreamCommands } from '../streams/stream-commands.js';

/**
 * Every typed single-command method. `RedisService` is one of these; so is the recorder handed to
 * `pipeline()` and `transaction()` callbacks, where each call queues its command instead of
 * sending it. The groups form one class chain, one file each:
 *
 * `CommandBase` -> keys -> strings -> hashes -> lists -> sets -> sorted sets -> HyperLogLog ->
 * bitmaps -> geo -> JSON -> models -> streams (`src/streams`) -> `RedisCommands`.
 */
export class RedisCommands extends StreamCommands {}
