import type { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { writeLimit } from './write-limit.js';

/** One node's corked write of the current tick. */
interface CorkedWrite {
  count: number;
  readonly limit: number;
}

/**
 * Coalesces the commands a cluster driver sends in one tick into one socket write per node,
 * instead of one write per command: before a command is written to a node's connection, that
 * connection's socket is corked (once per tick), and every corked socket is uncorked at the end of
 * the tick, or when its write is full. ioredis writes a command synchronously when its node is
 * ready, so the command lands in that write, in order; every command still resolves with its own
 * reply.
 *
 * It adapts to the commands in flight, as the single-node driver does: a command sent while
 * nothing of this driver is unanswered goes out at once, alone (one caller never waits for
 * company); after it, a write holds up to `maxBatch` commands, or, when it starts with a script,
 * at most as many as are unanswered (Redis must not sit idle while Node fills a long write).
 *
 * Only a hint: a command whose node is not known (`undefined`) is written as ioredis decides, and
 * a corked socket with nothing in it is simply uncorked.
 */
export class ClusterWriteCoalescer {
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
   * Call right before writing a command to `node` (a ready connection of the cluster; `undefined`
   * when ioredis picks the node); pair it with one `answered()` when the command settles.
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
      limit: writeLimit(name, unanswered, this.#maxBatch),
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
