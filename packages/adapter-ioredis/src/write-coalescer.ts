import type { Writable } from 'node:stream';
import { RedisValidationError } from '@redis-service/core';
import type { Redis } from 'ioredis';

/** Commands whose cost on the server is of the order of the client's: their writes stay short. */
const SCRIPT_COMMANDS: ReadonlySet<string> = new Set([
  'EVALSHA',
  'EVAL',
  'EVALSHA_RO',
  'EVAL_RO',
  'FCALL',
  'FCALL_RO',
]);

/** Default `maxBatch`: see `IoredisDriverOptions.maxBatch`. */
const DEFAULT_MAX_BATCH = 128;

/**
 * The `maxBatch` a driver was given, or the default.
 *
 * @throws RedisValidationError when it is not a positive integer
 */
export function checkMaxBatch(maxBatch: number | undefined): number {
  const value = maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(value) || value < 1) {
    throw new RedisValidationError(`maxBatch must be a positive integer, got ${String(maxBatch)}`);
  }
  return value;
}

/** One connection's corked write of the current tick. */
interface CorkedWrite {
  count: number;
  readonly limit: number;
}

/**
 * Coalesces the commands a driver sends in one tick into one socket write per connection (the
 * one of a single-node client, or each node's of a cluster), instead of one write per command:
 * before a command is written to a connection, its socket is corked (once per tick), and every
 * corked socket is uncorked at the end of the tick, or when its write is full. ioredis writes a
 * command synchronously when its connection is ready, so the command lands in that write, in
 * order; every command still resolves with its own reply (unlike an ioredis `pipeline()`).
 *
 * It adapts to the commands in flight (see `IoredisDriverOptions.coalesce`): a command sent while
 * nothing of this driver is unanswered goes out at once, alone (one caller never waits for
 * company); after it, a write holds up to `maxBatch` commands, or, when it starts with a script,
 * at most as many as are unanswered: a script costs Redis about as much as Node spends preparing
 * it, so Redis must not sit idle while Node fills a long write.
 *
 * Only a hint: a command whose connection is not ready (`undefined`) is written as ioredis
 * decides, and a corked socket with nothing in it is simply uncorked.
 */
export class WriteCoalescer {
  readonly #maxBatch: number;
  readonly #corked = new Map<Writable, CorkedWrite>();
  #unanswered = 0;
  #flushScheduled = false;
  readonly #flush = () => {
    this.#flushScheduled = false;
    this.flush();
  };

  constructor(maxBatch: number) {
    this.#maxBatch = maxBatch;
  }

  /**
   * Call right before writing a command to `node` (a ready connection; `undefined` when it is not
   * ready, or when ioredis picks the node); pair it with one `answered()` when the command settles.
   */
  beforeWrite(name: string, node: Redis | undefined): void {
    const unanswered = this.#unanswered++;
    // Redis has nothing of ours to work on: waiting for company would only leave it idle.
    if (unanswered === 0 || node === undefined) return;
    const stream = node.stream as Writable | undefined;
    if (!stream?.writable) return;
    const write = this.#corked.get(stream);
    if (write !== undefined) {
      if (write.count < write.limit) {
        write.count++;
        return;
      }
      this.#corked.delete(stream);
      stream.uncork();
    }
    stream.cork();
    this.#corked.set(stream, {
      count: 1,
      limit: SCRIPT_COMMANDS.has(name) ? Math.min(unanswered, this.#maxBatch) : this.#maxBatch,
    });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
  }

  /** A command passed to `beforeWrite` has its reply or error. */
  answered(): void {
    this.#unanswered--;
  }

  /** Sends every corked write now (on the socket it was corked on, even after a reconnect). */
  flush(): void {
    if (this.#corked.size === 0) return;
    const streams = [...this.#corked.keys()];
    this.#corked.clear();
    for (const stream of streams) stream.uncork();
  }
}
