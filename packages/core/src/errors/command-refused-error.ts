import { RedisValidationError } from './redis-error.js';

/** Why `command()` refused a raw command. */
export type CommandRefusalReason = 'connection-state' | 'blocking' | 'node-wide';

/**
 * `redis.command(argv)` refused a raw command before sending anything, because it would change
 * the state of the connection every caller of the service shares (SUBSCRIBE, MULTI, SELECT,
 * CLIENT REPLY, HELLO, ...) or block it (BLPOP, XREAD BLOCK, WAIT, ...), or because on a Redis
 * Cluster it acts on one node (DBSIZE, KEYS, SCAN, FLUSHALL, SCRIPT, ...) and would run on
 * whichever node the driver picked. `use` names the API to use instead. A `RedisValidationError`:
 * the input was refused, nothing was sent.
 */
export class RedisCommandRefusedError extends RedisValidationError {
  /** The refused command, uppercase, with its subcommand: `SUBSCRIBE`, `CLIENT REPLY`. */
  readonly command: string;
  /** `connection-state`, `blocking` or `node-wide` (on a cluster). */
  readonly reason: CommandRefusalReason;
  /** What to use instead, e.g. `redis.subscribe(...channels)`. */
  readonly use: string;

  constructor(command: string, reason: CommandRefusalReason, use: string) {
    const what =
      reason === 'blocking'
        ? 'blocks the connection every caller of this service shares'
        : reason === 'node-wide'
          ? 'acts on one node, and on a Redis Cluster it would run on whichever node the driver picks'
          : 'would change the state of the connection every caller of this service shares';
    super(`command() refuses ${command}: it ${what}, so nothing was sent. ${use}`);
    this.command = command;
    this.reason = reason;
    this.use = use;
  }
}
