import { abortedError } from '../errors/aborted-error.js';
import { RedisClosedError, RedisValidationError } from '../errors/redis-error.js';

const ABORTED = 'aborted while waiting for an inflight permit';

/** Live counters of an `InflightLimiter`. */
export interface InflightStats {
  /** Permits held right now (commands in flight). */
  readonly active: number;
  /** Callers waiting for a permit. */
  readonly queued: number;
  /** The highest `active` seen since creation (or the last `resetPeak`). */
  readonly peak: number;
  /** The configured ceiling. */
  readonly maxInflight: number;
}

/** A held permit. Releasing it twice is harmless. */
export type ReleasePermit = () => void;

interface Waiter {
  grant: (release: ReleasePermit) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

/**
 * Caps how many commands are in flight to one endpoint: the TypeScript form of a per-endpoint
 * semaphore. Waiters are served strictly first in, first out, so commands leave in the order they
 * were issued. A permit is acquired before a command is sent and released when its reply or error
 * arrives, on timeout, on abort, and on close. A batch counts as one command.
 */
export class InflightLimiter {
  readonly #max: number;
  #active = 0;
  #peak = 0;
  #closed = false;
  // A ring-less FIFO: an array with a moving head avoids O(n) shifts under deep queues.
  #queue: (Waiter | undefined)[] = [];
  #head = 0;
  // Aborted waiters leave holes in the queue; count the live ones so `queued` stays exact.
  #waiting = 0;

  /** @param maxInflight the most permits held at once; a positive integer. */
  constructor(maxInflight: number) {
    if (!Number.isInteger(maxInflight) || maxInflight < 1) {
      throw new RedisValidationError(`maxInflight must be a positive integer, got ${String(maxInflight)}`);
    }
    this.#max = maxInflight;
  }

  /** The current counters. */
  get stats(): InflightStats {
    return {
      active: this.#active,
      queued: this.#waiting,
      peak: this.#peak,
      maxInflight: this.#max,
    };
  }

  /** Starts peak tracking afresh (useful in measurements). */
  resetPeak(): void {
    this.#peak = this.#active;
  }

  /**
   * Waits for a permit. Resolves with the function that releases it. Rejects with
   * `RedisAbortedError` if `signal` fires first, or `RedisClosedError` if the limiter is closed.
   */
  acquire(signal?: AbortSignal): Promise<ReleasePermit> {
    if (this.#closed) return Promise.reject(new RedisClosedError('the inflight limiter is closed'));
    if (signal?.aborted) return Promise.reject(abortedError(signal, ABORTED));
    if (this.#active < this.#max && this.#waiting === 0) {
      return Promise.resolve(this.#grant());
    }
    return new Promise<ReleasePermit>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, reject, cleanup: () => {} };
      if (signal) {
        const onAbort = () => {
          const index = this.#queue.indexOf(waiter, this.#head);
          // Removed, not blanked, so that `stats.queued` stops counting a caller who left.
          if (index !== -1) {
            this.#queue.splice(index, 1);
            this.#waiting--;
          }
          reject(abortedError(signal, ABORTED));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(waiter);
      this.#waiting++;
    });
  }

  /**
   * Takes a permit now if one is free and nobody is waiting (keeps FIFO); returns `undefined`
   * otherwise. Lets the hot path skip a promise allocation.
   */
  tryAcquire(): ReleasePermit | undefined {
    if (this.#closed || this.#active >= this.#max || this.#waiting > 0) return undefined;
    return this.#grant();
  }

  /**
   * Takes a permit without a release function (no allocation), when one is free and nobody waits.
   * The caller must hand it back with `give()` exactly once. For executors on the hot path.
   * @internal
   */
  tryTake(): boolean {
    if (this.#closed || this.#active >= this.#max || this.#waiting > 0) return false;
    this.#active++;
    if (this.#active > this.#peak) this.#peak = this.#active;
    return true;
  }

  /**
   * Hands back a permit taken with `tryTake()`.
   * @internal
   */
  give(): void {
    this.#active--;
    this.#next();
  }

  /** Rejects every waiter with `RedisClosedError`; later `acquire` calls reject too. Held permits stay valid. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#waiting = 0;
    for (const waiter of waiting) {
      if (!waiter) continue;
      waiter.cleanup();
      waiter.reject(new RedisClosedError('closed while waiting for an inflight permit'));
    }
  }

  #grant(): ReleasePermit {
    this.#active++;
    if (this.#active > this.#peak) this.#peak = this.#active;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      this.#next();
    };
  }

  #next(): void {
    while (this.#active < this.#max && this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head];
      this.#queue[this.#head] = undefined;
      this.#head++;
      if (!waiter) continue; // aborted while queued
      this.#waiting--;
      waiter.cleanup();
      waiter.grant(this.#grant());
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
