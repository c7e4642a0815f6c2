import type { Writable } from 'node:stream';
import type { Cluster, Redis } from 'ioredis';
import { writeLimit } from './write-limit.js';

/** What the coalescer reads of ioredis' cluster internals: where a slot's master connection is. */
interface ClusterInternals {
  readonly connectionPool?: { getInstanceByKey(key: string): Redis | undefined };
}

/** One node's corked write of the current tick. */
interface CorkedWrite {
  count: number;
  readonly limit: number;
}

/**
 * Coalesces the commands a cluster driver sends in one tick into one socket write per node,
 * instead of one write per command: before a command is handed to ioredis, the socket of its
 * slot's master is corked (once per tick), and every corked socket is uncorked at the end of the
 * tick, or when its write is full. ioredis writes a command synchronously when its node is ready,
 * so the command lands in that write, in order; every command still resolves with its own reply.
 *
 * It adapts to the commands in flight, as the single-node driver does: a command sent while
 * nothing of this driver is unanswered goes out at once, alone (one caller never waits for
 * company); after it, a write holds up to `maxBatch` commands, or, when it starts with a script,
 * at most as many as are unanswered (Redis must not sit idle while Node fills a long write).
 *
 * Only a hint: when the slot's master is unknown, not connected, or ioredis routes the command
 * elsewhere (a redirection, `scaleReads`), the command is written as ioredis decides, and a
 * corked socket with nothing in it is simply uncorked.
 */
export class ClusterWriteCoalescer {
  readonly #cluster: Cluster;
  readonly #maxBatch: number;
  readonly #corked = new Map<Writable, CorkedWrite>();
  #unanswered = 0;
  #flushScheduled = false;
  readonly #flush = () => {
    this.#flushScheduled = false;
    this.flush();
  };

  constructor(cluster: Cluster, maxBatch: number) {
    this.#cluster = cluster;
    this.#maxBatch = maxBatch;
  }

  /**
   * Call right before handing a command for `slot` to ioredis; pair it with one `answered()`
   * when the command settles.
   */
  beforeWrite(name: string, slot: number | undefined): void {
    const unanswered = this.#unanswered++;
    // Redis has nothing of ours to work on: waiting for company would only leave it idle.
    if (unanswered === 0 || slot === undefined || this.#cluster.status !== 'ready') return;
    const stream = this.#masterStream(slot);
    if (stream === undefined) return;
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

  #masterStream(slot: number): Writable | undefined {
    const key = this.#cluster.slots[slot]?.[0];
    if (key === undefined) return undefined;
    const redis = (this.#cluster as unknown as ClusterInternals).connectionPool?.getInstanceByKey(key);
    if (redis?.status !== 'ready') return undefined;
    const stream = redis.stream as Writable | undefined;
    return stream?.writable ? stream : undefined;
  }
}
