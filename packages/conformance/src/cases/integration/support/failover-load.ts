import {
  RedisConnectionError,
  RedisConnectionLostError,
  RedisReplyError,
  type RedisService,
  RedisTimeoutError,
} from '@redis-service/core';

/**
 * How the kit reads a failed call during a failover:
 *
 * - `not-run`: the command never ran (a `RedisConnectionError` that does not say it was sent, or a
 *   reply of a node that is not the primary: READONLY, MASTERDOWN, LOADING): a write must be absent;
 * - `may-have-run`: `RedisTimeoutError` or `RedisConnectionLostError`: a write may be there or not;
 * - `untyped`: anything else, which a driver must never let through.
 */
export type FailureKind = 'not-run' | 'may-have-run' | 'untyped';

const NOT_PRIMARY_PREFIXES: ReadonlySet<string> = new Set(['READONLY', 'MASTERDOWN', 'LOADING']);

/** Classifies a failed call (see `FailureKind`). */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof RedisConnectionLostError || error instanceof RedisTimeoutError) return 'may-have-run';
  if (error instanceof RedisConnectionError) return 'not-run';
  if (error instanceof RedisReplyError && NOT_PRIMARY_PREFIXES.has(error.prefix)) return 'not-run';
  return 'untyped';
}

/** One call the load made. */
export interface LoadCall {
  readonly kind: 'write' | 'read';
  /** The counter a write INCRs (unique per write), or the stable key a read GETs. */
  readonly key: string;
  readonly startedMs: number;
  readonly endedMs: number;
  /** What the call failed with; absent when it succeeded. */
  readonly error?: unknown;
  /** For a read that succeeded: the value did not match what was stored before the fault. */
  readonly wrongValue?: boolean;
}

/** Options of `FailoverLoad`. */
export interface FailoverLoadOptions {
  /** Concurrent callers. */
  readonly callers: number;
  /** Keys written (and replicated) before the fault, with their values: what reads expect. */
  readonly stable: ReadonlyMap<string, string>;
  /** A call that has not settled this long after it started counts as hung (a hang guard, ms). */
  readonly hangGuardMs: number;
  /** Prepended to the counters the writes INCR, so every load writes counters of its own. */
  readonly writePrefix: string;
}

/**
 * `callers` concurrent loops on one service, each alternating a write (INCR of a counter of its
 * own: 1 when applied once, 2 if a driver ever sent it again) and a read of a stable key, until
 * `stop()`. Every call is recorded with its outcome; a call that outlives the hang guard is
 * recorded as hung and its caller moves on. After a failure a caller pauses 5 ms, so a dead
 * endpoint is not spun on.
 */
export class FailoverLoad {
  readonly calls: LoadCall[] = [];
  readonly hung: { readonly kind: string; readonly key: string }[] = [];
  readonly #redis: RedisService;
  readonly #options: FailoverLoadOptions;
  readonly #stableKeys: readonly string[];
  readonly #origin = performance.now();
  #running: Promise<void>[] = [];
  #stopped = false;
  #consecutiveOk = 0;
  #countFrom = Number.POSITIVE_INFINITY;

  constructor(redis: RedisService, options: FailoverLoadOptions) {
    this.#redis = redis;
    this.#options = options;
    this.#stableKeys = [...options.stable.keys()];
  }

  /** Milliseconds since the load was created (the clock of `LoadCall`). */
  now(): number {
    return performance.now() - this.#origin;
  }

  start(): void {
    this.#running = Array.from({ length: this.#options.callers }, (_, caller) => this.#loop(caller));
  }

  /**
   * Resolves once `stretch` calls in a row, all started at or after `fromMs`, have succeeded;
   * rejects when that has not happened within `timeoutMs`.
   */
  async recovered(fromMs: number, stretch: number, timeoutMs: number): Promise<void> {
    this.#countFrom = fromMs;
    this.#consecutiveOk = 0;
    const deadline = performance.now() + timeoutMs;
    while (this.#consecutiveOk < stretch) {
      if (performance.now() > deadline) {
        throw new Error(
          `the service did not recover: ${this.#consecutiveOk} calls in a row succeeded within ${timeoutMs} ms`,
        );
      }
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
  }

  async #loop(caller: number): Promise<void> {
    for (let n = 0; !this.#stopped; n++) {
      const write = n % 2 === 0;
      const key = write
        ? `${this.#options.writePrefix}${caller}:${n}`
        : this.#stableKeys[(caller + n) % this.#stableKeys.length]!;
      const startedMs = this.now();
      const call: Promise<unknown> = write ? this.#redis.incr(key) : this.#redis.get(key);
      const outcome = await settleWithin(call, this.#options.hangGuardMs);
      const endedMs = this.now();
      if (outcome.status === 'hung') {
        this.hung.push({ kind: write ? 'write' : 'read', key });
        continue;
      }
      const wrongValue =
        outcome.status === 'ok' &&
        (write ? outcome.value !== 1 : outcome.value !== this.#options.stable.get(key));
      this.calls.push({
        kind: write ? 'write' : 'read',
        key,
        startedMs,
        endedMs,
        ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
        ...(wrongValue ? { wrongValue } : {}),
      });
      if (outcome.status === 'failed') {
        this.#consecutiveOk = 0;
        await sleep(5);
      } else if (startedMs >= this.#countFrom) {
        this.#consecutiveOk++;
      }
    }
  }
}

type Settled =
  | { readonly status: 'ok'; readonly value: unknown }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'hung' };

function settleWithin(promise: Promise<unknown>, ms: number): Promise<Settled> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'hung' }), ms);
  });
  const settled = promise.then(
    (value): Settled => ({ status: 'ok', value }),
    (error: unknown): Settled => ({ status: 'failed', error }),
  );
  return Promise.race([settled, guard]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
