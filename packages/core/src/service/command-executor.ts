import { RedisClosedError, RedisTimeoutError } from '../errors/redis-error.js';
import type { InflightLimiter, ReleasePermit } from '../limiter/inflight-limiter.js';

interface InflightEntry {
  readonly deadline: number;
  settled: boolean;
  readonly fail: (error: Error) => void;
}

/**
 * Runs driver calls under the endpoint's inflight limiter, with a deadline and close handling:
 * the one path every command and batch of a service takes.
 *
 * Every call shares the same timeout, so deadlines arrive in issue order: one FIFO of in-flight
 * entries and one timer armed for the oldest replace a timer per command (cheaper on the hot path).
 */
export class CommandExecutor {
  readonly #limiter: InflightLimiter;
  readonly #timeoutMs: number;
  readonly #describe: string;
  #inflight: InflightEntry[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(limiter: InflightLimiter, timeoutMs: number, describe: string) {
    this.#limiter = limiter;
    this.#timeoutMs = timeoutMs;
    this.#describe = describe;
  }

  /** Whether `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Waits for a permit, then runs `call`. The permit is released when the call settles, when the
   * deadline passes (`RedisTimeoutError`) or when the executor closes (`RedisClosedError`).
   */
  run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#closed) return Promise.reject(new RedisClosedError(`${this.#describe} is closed`));
    const release = this.#limiter.tryAcquire();
    if (release) return this.#start(call, release);
    return this.#limiter.acquire(signal).then((permit) => this.#start(call, permit));
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
      if (!entry.settled) entry.fail(new RedisClosedError(`${this.#describe} was closed while the command was in flight`));
    }
    this.#limiter.close();
  }

  #start<T>(call: () => Promise<T>, release: ReleasePermit): Promise<T> {
    if (this.#closed) {
      release();
      return Promise.reject(new RedisClosedError(`${this.#describe} is closed`));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: InflightEntry = {
        deadline: this.#timeoutMs > 0 ? performance.now() + this.#timeoutMs : Number.POSITIVE_INFINITY,
        settled: false,
        fail: (error) => {
          if (entry.settled) return;
          entry.settled = true;
          release();
          reject(error);
        },
      };
      this.#inflight.push(entry);
      if (this.#timer === undefined && this.#timeoutMs > 0) this.#arm(this.#timeoutMs);
      let promise: Promise<T>;
      try {
        promise = call();
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => {
          if (entry.settled) return;
          entry.settled = true;
          release();
          this.#prune();
          resolve(value);
        },
        (error: unknown) => {
          if (entry.settled) return;
          entry.settled = true;
          release();
          this.#prune();
          reject(error);
        },
      );
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
    const now = performance.now();
    this.#prune();
    while (this.#head < this.#inflight.length) {
      const entry = this.#inflight[this.#head]!;
      if (entry.settled) {
        this.#head++;
        continue;
      }
      if (entry.deadline > now) break;
      entry.fail(new RedisTimeoutError(`${this.#describe}: no reply within ${this.#timeoutMs} ms`, this.#timeoutMs));
      this.#head++;
    }
    this.#prune();
    const next = this.#inflight[this.#head];
    if (next) this.#arm(next.deadline - now);
  }
}
