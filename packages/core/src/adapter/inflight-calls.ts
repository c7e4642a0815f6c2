import { abortedError } from '../errors/aborted-error.js';
import { RedisClosedError, type RedisError, RedisTimeoutError } from '../errors/redis-error.js';
import { unrefTimer } from '../util/unref-timer.js';

const ABORTED = 'the command was aborted before its reply arrived';

/** Options of `InflightCalls`. */
export interface InflightCallsOptions {
  /**
   * Names the driver in the `RedisClosedError`s it makes, e.g. `the ioredis driver for
   * 127.0.0.1:6379`: `<describe> is closed`, `<describe> was closed while the command was in flight`.
   */
  readonly describe: string;
  /**
   * How long one call may take before it rejects, in milliseconds; `0` (the default): no bound.
   * For drivers without a command timeout of their own that cannot be trusted to give up.
   */
  readonly timeoutMs?: number;
  /** The error a call past `timeoutMs` rejects with. Default: a `RedisTimeoutError` naming the bound. */
  readonly timeoutError?: () => RedisError;
}

/** One tracked call: settles once, by its outcome, its signal, its deadline or close(). */
class TrackedCall<T> {
  settled = false;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;

  constructor(
    readonly calls: InflightCalls,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** Marks the call settled and lets go of its timer and listener; false when it already was. */
  finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
    this.calls[SETTLED]();
    return true;
  }

  fail(error: unknown): void {
    if (this.finish()) this.reject(error);
  }
}

// The calls' hook for telling their InflightCalls that one settled (not part of its API).
const SETTLED: unique symbol = Symbol('settled');

/**
 * The calls a driver has in flight, so that each settles exactly once, with whichever comes
 * first: its own outcome, the caller's `AbortSignal` (`RedisAbortedError`, or the signal's reason
 * when that is a `RedisError`), the optional per-call deadline, or the driver's `close()`
 * (`RedisClosedError`). An outcome that arrives after the call was settled otherwise is dropped.
 *
 * The port promises that `close()` rejects every command in flight with `RedisClosedError`, even
 * when the client under the driver would only reject them later (or never, on a dead connection):
 * a driver tracks its calls here and calls `close()` first thing in its own `close()`.
 *
 * ```ts
 * readonly #calls = new InflightCalls({ describe: `the my-driver driver for ${endpoint}` });
 * send(command, options) {
 *   return this.#calls.track(options?.signal, () => this.#client.call(...), (error) => this.#mapError(error));
 * }
 * close() { this.#calls.close(); return this.#client.quit(); }
 * ```
 */
export class InflightCalls {
  // In the order they started, settled ones dropped from the front: cheaper than a Set on the
  // path of every command.
  #entries: TrackedCall<unknown>[] = [];
  #head = 0;
  #live = 0;
  readonly #describe: string;
  readonly #timeoutMs: number;
  readonly #timeoutError: () => RedisError;
  #closed = false;

  /** @param options how the driver is named in errors, and the optional per-call deadline */
  constructor(options: InflightCallsOptions) {
    this.#describe = options.describe;
    this.#timeoutMs = options.timeoutMs ?? 0;
    const timeoutMs = this.#timeoutMs;
    this.#timeoutError =
      options.timeoutError ??
      (() => new RedisTimeoutError(`${options.describe}: no reply within ${timeoutMs} ms`, timeoutMs));
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many calls are in flight. */
  get size(): number {
    return this.#live;
  }

  /** Throws `<describe> is closed` (`RedisClosedError`) once `close()` has been called. */
  assertOpen(): void {
    if (this.#closed) throw new RedisClosedError(`${this.#describe} is closed`);
  }

  /**
   * The `RedisClosedError` for a call that was in flight when the driver closed: for replies
   * that race `close()` on a path that is not tracked.
   */
  closedError(): RedisClosedError {
    return new RedisClosedError(`${this.#describe} was closed while the command was in flight`);
  }

  /**
   * Runs `start` as one in-flight call and settles with its outcome, a rejection mapped by
   * `mapError` (which should pass a `RedisError` through as it is), unless `signal` fires, the
   * deadline passes or `close()` is called first. Refused at once when closed or already aborted;
   * a synchronous throw of `start` is a rejection.
   */
  track<T>(
    signal: AbortSignal | undefined,
    start: () => Promise<T>,
    mapError: (error: unknown) => RedisError,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(new RedisClosedError(`${this.#describe} is closed`));
    if (signal?.aborted) return Promise.reject(abortedError(signal, ABORTED));
    return new Promise<T>((resolve, reject) => {
      const call = new TrackedCall<T>(this, resolve, reject);
      this.#entries.push(call as TrackedCall<unknown>);
      this.#live++;
      if (this.#timeoutMs > 0) {
        // Never keep a process alive just to time out a command nobody waits for.
        call.timer = unrefTimer(setTimeout(() => call.fail(this.#timeoutError()), this.#timeoutMs));
      }
      if (signal) {
        call.signal = signal;
        call.onAbort = () => call.fail(abortedError(signal, ABORTED));
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      let running: Promise<T>;
      try {
        running = start();
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (value) => {
          // Dropped when already settled: the signal, the deadline or close().
          if (call.finish()) resolve(value);
        },
        (error: unknown) => {
          if (!call.settled) call.fail(mapError(error));
        },
      );
    });
  }

  /** Called by a call that settled: drops settled calls from the front. */
  [SETTLED](): void {
    this.#live--;
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.settled) this.#head++;
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (entries.length > 1024 && entries.length > 4 * this.#live) {
      // Mostly settled calls behind one that is not (a call can wait as long as its client
      // lets it): keep only the live ones, so memory follows the calls in flight. Amortized: the
      // list has grown to four times the live calls since the last time.
      this.#entries = entries.filter((call) => !call.settled);
      this.#head = 0;
    }
  }

  /** Rejects every call in flight at once, each with a fresh `error()` (e.g. after a reset). */
  failAll(error: () => Error): void {
    const pending = this.#entries.slice(this.#head);
    this.#entries = [];
    this.#head = 0;
    for (const call of pending) if (!call.settled) call.fail(error());
  }

  /**
   * Rejects every call in flight with `RedisClosedError` and refuses later ones the same way.
   * Idempotent.
   */
  close(): void {
    this.#closed = true;
    this.failAll(() => this.closedError());
  }
}
