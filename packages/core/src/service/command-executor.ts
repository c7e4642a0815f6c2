import { RedisAbortedError, RedisClosedError, RedisTimeoutError } from '../errors/redis-error.js';
import type { InflightLimiter, ReleasePermit } from '../limiter/inflight-limiter.js';
import { onAbort } from '../util/abort-fanout.js';
import { monotonic as clock } from '../util/monotonic.js';

/** A driver call; `signal` (given when the caller passed one) fires when the caller aborts. */
export type DriverCall<T> = (signal?: AbortSignal) => Promise<T>;

/** The deadlines of a `CommandExecutor`, in ms; 0 disables one. */
export interface ExecutorTimeouts {
  /** From the moment the call is handed to the driver until its reply. */
  readonly commandTimeoutMs: number;
  /** From the call until it holds an inflight permit (the command is not sent before). */
  readonly queueTimeoutMs: number;
}

/** One call in flight: settles exactly once, by reply, error, deadline, abort or close. */
class InflightCall<R> {
  settled = false;
  stopListening: (() => void) | undefined;

  constructor(
    readonly deadline: number,
    readonly resolve: (value: R | PromiseLike<R>) => void,
    readonly reject: (error: unknown) => void,
    // undefined: the permit was taken on the fast path and goes back with `limiter.give()`.
    readonly release: ReleasePermit | undefined,
    readonly limiter: InflightLimiter,
  ) {}

  /** Marks the call settled and hands its permit back; false when it already was. */
  finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.stopListening?.();
    if (this.release) this.release();
    else this.limiter.give();
    return true;
  }

  fail(error: unknown): void {
    if (this.finish()) this.reject(error);
  }
}

/**
 * Runs driver calls under the endpoint's inflight limiter, with deadlines and close handling:
 * the one path every command and batch of a service takes. Two clocks, one after the other: the
 * queue timeout runs while a call waits for a permit (`RedisQueueTimeoutError`, never sent), the
 * command timeout from the moment it is handed to the driver (`RedisTimeoutError`, may have run).
 *
 * Every call shares the same timeout, so deadlines arrive in issue order: one FIFO of in-flight
 * entries and one timer armed for the oldest replace a timer per command (cheaper on the hot path).
 */
export class CommandExecutor {
  readonly #limiter: InflightLimiter;
  readonly #timeoutMs: number;
  readonly #queueTimeoutMs: number;
  readonly #describe: string;
  #inflight: InflightCall<unknown>[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #ownsLimiter: boolean;
  // Fired on close so that this executor's callers waiting for a permit leave the queue at once,
  // also when the limiter is shared with other services and stays open.
  readonly #closing = new AbortController();
  readonly #onTimeout: (() => void) | undefined;

  /**
   * @param ownsLimiter close the limiter together with the executor (false when it is shared)
   * @param onTimeout called when a call that held a permit fails with `RedisTimeoutError` (its
   *   deadline passed, or the driver timed it out): the connection may be half-open
   */
  constructor(
    limiter: InflightLimiter,
    timeouts: ExecutorTimeouts,
    describe: string,
    ownsLimiter = true,
    onTimeout?: () => void,
  ) {
    this.#limiter = limiter;
    this.#timeoutMs = timeouts.commandTimeoutMs;
    this.#queueTimeoutMs = timeouts.queueTimeoutMs;
    this.#describe = describe;
    this.#ownsLimiter = ownsLimiter;
    this.#onTimeout = onTimeout;
  }

  /** Whether `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Waits for a permit (at most the queue timeout: `RedisQueueTimeoutError`), then runs `call` and
   * maps its value with `map` (decoding here saves a promise per command). The permit is released
   * when the call settles, when the command deadline passes (`RedisTimeoutError`), when `signal`
   * fires (`RedisAbortedError`) or when the executor closes (`RedisClosedError`). With a `signal`,
   * `call` gets a signal of its own that fires with it: however many calls share the caller's
   * signal, it carries one listener, and the driver's listeners sit on the per-call one.
   */
  run<T, R = T>(
    call: DriverCall<T>,
    signal?: AbortSignal,
    map?: (value: T) => R | PromiseLike<R>,
  ): Promise<R> {
    if (this.#closed) return Promise.reject(new RedisClosedError(`${this.#describe} is closed`));
    if (!signal?.aborted && this.#limiter.tryTake()) return this.#start(call, undefined, signal, map);
    return this.#limiter
      .acquire(this.#waitSignal(signal), this.#queueTimeoutMs)
      .then((permit) => this.#start(call, permit, signal, map));
  }

  // An owned limiter rejects its waiters itself on close; a shared one stays open, so this
  // executor's waiters also listen to its own close signal.
  #waitSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
    if (this.#ownsLimiter) return signal;
    return signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
  }

  /** Rejects every in-flight call with `RedisClosedError`, releases their permits and refuses new calls. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#inflight.slice(this.#head);
    this.#inflight = [];
    this.#head = 0;
    for (const entry of pending) {
      if (!entry.settled)
        entry.fail(new RedisClosedError(`${this.#describe} was closed while the command was in flight`));
    }
    this.#closing.abort(
      new RedisClosedError(`${this.#describe} was closed while the command waited for a permit`),
    );
    if (this.#ownsLimiter) this.#limiter.close();
  }

  #start<T, R>(
    call: DriverCall<T>,
    release: ReleasePermit | undefined,
    signal: AbortSignal | undefined,
    map: ((value: T) => R | PromiseLike<R>) | undefined,
  ): Promise<R> {
    if (this.#closed || signal?.aborted) {
      if (release) release();
      else this.#limiter.give();
      return Promise.reject(
        this.#closed ? new RedisClosedError(`${this.#describe} is closed`) : this.#aborted(signal),
      );
    }
    return new Promise<R>((resolve, reject) => {
      const deadline = this.#timeoutMs > 0 ? clock.now() + this.#timeoutMs : Number.POSITIVE_INFINITY;
      const entry = new InflightCall<R>(deadline, resolve, reject, release, this.#limiter);
      let callSignal: AbortSignal | undefined;
      if (signal) {
        // The caller stops waiting for the reply too, not only for the permit, and the driver
        // hears of it through this call's own signal.
        const forDriver = new AbortController();
        callSignal = forDriver.signal;
        entry.stopListening = onAbort(signal, () => {
          entry.fail(this.#aborted(signal));
          forDriver.abort(signal.reason);
        });
      }
      this.#inflight.push(entry as InflightCall<unknown>);
      if (this.#timer === undefined && this.#timeoutMs > 0) this.#arm(this.#timeoutMs);
      let promise: Promise<T>;
      try {
        promise = call(callSignal);
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => {
          if (!entry.finish()) return;
          this.#prune();
          if (!map) {
            resolve(value as unknown as R);
            return;
          }
          try {
            resolve(map(value));
          } catch (error) {
            reject(error);
          }
        },
        (error: unknown) => {
          if (!entry.finish()) return;
          this.#prune();
          reject(error);
          if (error instanceof RedisTimeoutError) this.#onTimeout?.();
        },
      );
    });
  }

  #aborted(signal: AbortSignal | undefined): RedisAbortedError {
    return new RedisAbortedError(`${this.#describe}: the caller aborted the command`, {
      cause: signal?.reason,
    });
  }

  #prune(): void {
    while (this.#head < this.#inflight.length && this.#inflight[this.#head]!.settled) this.#head++;
    if (this.#head === this.#inflight.length) {
      this.#inflight = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#inflight.length) {
      this.#inflight = this.#inflight.slice(this.#head);
      this.#head = 0;
    }
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(1, Math.ceil(delayMs)));
    // Never keep a process alive just to time out commands nobody waits for.
    const timer = this.#timer as { unref?: () => void };
    timer.unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = clock.now();
    this.#prune();
    let expired = false;
    while (this.#head < this.#inflight.length) {
      const entry = this.#inflight[this.#head]!;
      if (entry.settled) {
        this.#head++;
        continue;
      }
      if (entry.deadline > now) break;
      entry.fail(
        new RedisTimeoutError(`${this.#describe}: no reply within ${this.#timeoutMs} ms`, this.#timeoutMs),
      );
      expired = true;
      this.#head++;
    }
    this.#prune();
    if (expired) this.#onTimeout?.();
    const next = this.#inflight[this.#head];
    if (next) this.#arm(next.deadline - now);
  }
}
