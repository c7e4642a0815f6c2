import { abortedError } from '../errors/aborted-error.js';
import { RedisClosedError, RedisValidationError } from '../errors/redis-error.js';
import { onAbort } from '../util/abort-fanout.js';
import { LinkedList, type ListNode } from '../util/linked-list.js';
import { monotonic } from '../util/monotonic.js';
import { RedisQueueTimeoutError } from './queue-timeout-error.js';

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

/** Options of `InflightLimiter`. */
export interface InflightLimiterOptions {
  /** Names the endpoint in `RedisQueueTimeoutError` messages, e.g. `redis endpoint 'cache'`. */
  readonly name?: string;
}

interface Waiter {
  readonly grant: (release: ReleasePermit) => void;
  readonly reject: (error: Error) => void;
  /** Monotonic ms after which the waiter gives up; infinite without a queue timeout. */
  readonly deadline: number;
  readonly timeoutMs: number;
  queued: ListNode<Waiter> | undefined;
  timed: ListNode<Waiter> | undefined;
  stopListening: (() => void) | undefined;
}

/** The waiters of one queue timeout: their deadlines arrive in queue order, so one timer serves all. */
interface DeadlineQueue {
  readonly waiters: LinkedList<Waiter>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Caps how many commands are in flight to one endpoint: the TypeScript form of a per-endpoint
 * semaphore. Waiters are served strictly first in, first out, so commands leave in the order they
 * were issued. A permit is acquired before a command is sent and released when its reply or error
 * arrives, on timeout, on abort, and on close. A batch counts as one command.
 */
export class InflightLimiter {
  readonly #max: number;
  readonly #name: string;
  #active = 0;
  #peak = 0;
  #closed = false;
  // A linked FIFO: a caller that aborts or times out leaves from the middle in O(1).
  readonly #queue = new LinkedList<Waiter>();
  // Per queue timeout (services sharing a limiter may use different ones), one deadline FIFO.
  readonly #deadlines = new Map<number, DeadlineQueue>();

  /**
   * @param maxInflight the most permits held at once; a positive integer.
   * @param options the name that queue-timeout messages give the endpoint
   */
  constructor(maxInflight: number, options: InflightLimiterOptions = {}) {
    if (!Number.isInteger(maxInflight) || maxInflight < 1) {
      throw new RedisValidationError(`maxInflight must be a positive integer, got ${String(maxInflight)}`);
    }
    this.#max = maxInflight;
    this.#name = options.name ?? 'the inflight limiter';
  }

  /** The current counters. */
  get stats(): InflightStats {
    return {
      active: this.#active,
      queued: this.#queue.size,
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
   * `RedisAbortedError` if `signal` fires first, `RedisQueueTimeoutError` if no permit came within
   * `timeoutMs` (0 or omitted: wait as long as it takes), or `RedisClosedError` if the limiter is
   * closed. Leaving the queue early (abort, timeout) costs O(1), however deep the queue is.
   */
  acquire(signal?: AbortSignal, timeoutMs = 0): Promise<ReleasePermit> {
    if (this.#closed) return Promise.reject(new RedisClosedError('the inflight limiter is closed'));
    if (signal?.aborted) return Promise.reject(abortedError(signal, ABORTED));
    if (this.#active < this.#max && this.#queue.size === 0) {
      return Promise.resolve(this.#grant());
    }
    return new Promise<ReleasePermit>((resolve, reject) => {
      const timed = timeoutMs > 0 && Number.isFinite(timeoutMs);
      const waiter: Waiter = {
        grant: resolve,
        reject,
        deadline: timed ? monotonic.now() + timeoutMs : Number.POSITIVE_INFINITY,
        timeoutMs,
        queued: undefined,
        timed: undefined,
        stopListening: undefined,
      };
      waiter.queued = this.#queue.push(waiter);
      if (timed) this.#track(waiter);
      if (signal)
        waiter.stopListening = onAbort(signal, () => this.#leave(waiter, abortedError(signal, ABORTED)));
    });
  }

  /**
   * Takes a permit now if one is free and nobody is waiting (keeps FIFO); returns `undefined`
   * otherwise. Lets the hot path skip a promise allocation.
   */
  tryAcquire(): ReleasePermit | undefined {
    if (this.#closed || this.#active >= this.#max || this.#queue.size > 0) return undefined;
    return this.#grant();
  }

  /**
   * Takes a permit without a release function (no allocation), when one is free and nobody waits.
   * The caller must hand it back with `give()` exactly once. For executors on the hot path.
   * @internal
   */
  tryTake(): boolean {
    if (this.#closed || this.#active >= this.#max || this.#queue.size > 0) return false;
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
    for (const deadlines of this.#deadlines.values()) clearTimeout(deadlines.timer);
    this.#deadlines.clear();
    for (const waiter of this.#queue.drain()) {
      waiter.stopListening?.();
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
    while (this.#active < this.#max) {
      const waiter = this.#queue.shift();
      if (!waiter) return;
      this.#forget(waiter);
      // A caller whose queue deadline passed before its timer ran is not sent late.
      if (waiter.deadline !== Number.POSITIVE_INFINITY && waiter.deadline <= monotonic.now()) {
        waiter.reject(this.#queueTimeout(waiter.timeoutMs));
        continue;
      }
      waiter.grant(this.#grant());
    }
  }

  #queueTimeout(timeoutMs: number): RedisQueueTimeoutError {
    return new RedisQueueTimeoutError(
      `${this.#name}: no inflight permit within ${timeoutMs} ms (${this.#active} of ${this.#max} in flight, ${this.#queue.size} queued); the command was never sent`,
      timeoutMs,
    );
  }

  /** Takes a waiter out of the queue early (abort, timeout) and rejects it. */
  #leave(waiter: Waiter, error: Error): void {
    if (!waiter.queued || !this.#queue.remove(waiter.queued)) return;
    this.#forget(waiter);
    waiter.reject(error);
  }

  /** Drops what a waiter that left the queue still holds: its deadline and its abort callback. */
  #forget(waiter: Waiter): void {
    waiter.queued = undefined;
    if (waiter.timed) this.#deadlines.get(waiter.timeoutMs)?.waiters.remove(waiter.timed);
    waiter.timed = undefined;
    waiter.stopListening?.();
    waiter.stopListening = undefined;
  }

  #track(waiter: Waiter): void {
    let deadlines = this.#deadlines.get(waiter.timeoutMs);
    if (!deadlines) {
      deadlines = { waiters: new LinkedList(), timer: undefined };
      this.#deadlines.set(waiter.timeoutMs, deadlines);
    }
    waiter.timed = deadlines.waiters.push(waiter);
    // Armed lazily and never cleared on a grant: a timer that finds no one due re-arms or retires.
    if (deadlines.timer === undefined) this.#arm(waiter.timeoutMs, deadlines, waiter.timeoutMs);
  }

  #arm(timeoutMs: number, deadlines: DeadlineQueue, delayMs: number): void {
    const timer = setTimeout(() => this.#expire(timeoutMs, deadlines), Math.max(1, Math.ceil(delayMs)));
    // Never keep a process alive just to time out callers nobody waits for.
    (timer as { unref?: () => void }).unref?.();
    deadlines.timer = timer;
  }

  #expire(timeoutMs: number, deadlines: DeadlineQueue): void {
    deadlines.timer = undefined;
    const now = monotonic.now();
    for (
      let first = deadlines.waiters.peek();
      first && first.deadline <= now;
      first = deadlines.waiters.peek()
    ) {
      this.#leave(first, this.#queueTimeout(timeoutMs));
    }
    const next = deadlines.waiters.peek();
    if (next) this.#arm(timeoutMs, deadlines, next.deadline - now);
    else this.#deadlines.delete(timeoutMs);
  }
}
