import { keyPositions } from '../command-table/key-positions.js';
import type { RedisCommand } from '../port/reply.js';

/**
 * The one key-extraction function cluster routing uses: the indexes of the arguments that pick
 * `command`'s hash slot (0 is the name), from the generated command table: its keys, and a shard
 * channel (SPUBLISH, SSUBSCRIBE), which a cluster routes like a key. `[]` for a command without
 * them (or with arguments the server would refuse), `undefined` for one the table does not know
 * (a module's).
 */
export function commandKeyIndexes(command: RedisCommand): readonly number[] | undefined {
  return keyPositions(command, { includeNotKeys: true });
}
