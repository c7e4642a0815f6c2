import { abortedError, type RedisError } from '@redis-service/core';

const ABORTED = 'the command was aborted before its reply arrived';

interface Inflight {
  fail(error: Error): void;
}

/**
 * The calls a node-redis driver has in flight, each bounded by the driver's command timeout, the
 * caller's `AbortSignal` and the driver's `close()`: whichever comes first settles the call, and
 * a reply that arrives later is dropped.
 */
export class InflightCalls {
  readonly #entries = new Set<Inflight>();
  readonly #timeoutMs: number;
  readonly #timeoutError: () => RedisError;

  /**
   * @param timeoutMs how long a call may take, connecting included; `0`: no bound
   * @param timeoutError the error a call that took too long rejects with
   */
  constructor(timeoutMs: number, timeoutError: () => RedisError) {
    this.#timeoutMs = timeoutMs;
    this.#timeoutError = timeoutError;
  }

  /**
   * Runs `start` as one in-flight call: settles with its outcome (a rejection mapped by
   * `mapError`), unless the timeout passes first, `signal` fires (`RedisAbortedError`) or
   * `failAll` is called.
   */
  track<T>(
    signal: AbortSignal | undefined,
    start: () => Promise<T>,
    mapError: (error: unknown) => RedisError,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, ABORTED));
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort: (() => void) | undefined;
      const detach = () => {
        this.#entries.delete(entry);
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      };
      const entry: Inflight = {
        fail: (error) => {
          detach();
          reject(error);
        },
      };
      this.#entries.add(entry);
      if (this.#timeoutMs > 0) {
        timer = setTimeout(() => {
          if (this.#entries.has(entry)) entry.fail(this.#timeoutError());
        }, this.#timeoutMs);
        // Never keep a process alive just to time out a command nobody waits for.
        timer.unref();
      }
      if (signal) {
        onAbort = () => {
          if (this.#entries.has(entry)) entry.fail(abortedError(signal, ABORTED));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      let running: Promise<T>;
      try {
        running = start();
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (value) => {
          if (!this.#entries.has(entry)) return; // already failed: timeout, close() or the signal
          detach();
          resolve(value);
        },
        (error: unknown) => {
          if (this.#entries.has(entry)) entry.fail(mapError(error));
        },
      );
    });
  }

  /** Rejects every call in flight with `error()` at once. */
  failAll(error: () => Error): void {
    const pending = [...this.#entries];
    this.#entries.clear();
    for (const entry of pending) entry.fail(error());
  }
}
