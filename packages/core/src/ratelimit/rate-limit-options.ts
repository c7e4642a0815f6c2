import type { RedisFailurePolicy } from '../policy/failure-policy.js';

/** Options every algorithm shares. */
interface RateLimitCommon {
  /** How many units this call takes. Default 1. Must not exceed the limit (or the burst): it could never pass. */
  readonly cost?: number;
  /** What to do when Redis is unavailable; overrides the service's `failurePolicy`. */
  readonly failurePolicy?: RedisFailurePolicy;
  /**
   * Stop waiting when this fires: the call rejects with `RedisAbortedError` (never failing open).
   * A check still queued for its batch is dropped and never sent; one already sent may have
   * been counted.
   */
  readonly signal?: AbortSignal;
}

/**
 * Sliding-window log: at most `limit` units in any `windowMs` span ending now. Exact (one sorted-set
 * member per unit, scored with Redis's clock), at the price of memory proportional to `limit`.
 */
export interface SlidingWindowOptions extends RateLimitCommon {
  readonly algorithm: 'sliding-window';
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Sliding-window counter: the approximate two-bucket sliding window of Cloudflare and
 * `@upstash/ratelimit`'s `slidingWindow`. Windows are aligned to multiples of `windowMs` on
 * Redis's clock (like the fixed window); a check counts this window's units plus the previous
 * window's units weighted by the share of the previous window still inside the `windowMs` span
 * ending now, as if they had been spread evenly. One short string per key, whatever the limit.
 *
 * What is guaranteed, and the error bound:
 * - within one aligned window, never more than `limit` units (as with the fixed window);
 * - in any span of `windowMs`, at most `limit + previous × elapsed` units, where `previous` is
 *   what the previous aligned window admitted (at most `limit`) and `elapsed` the share of the
 *   current window gone by: always below `2 × limit`, and exactly `limit` when the previous
 *   window's units were spread evenly. It errs the other way too: when they came early in the
 *   previous window it denies calls that an exact log would allow.
 *
 * Use `'sliding-window'` (the exact log) when a span of `windowMs` must never see more than
 * `limit`, whatever the pattern of calls.
 */
export interface SlidingWindowCounterOptions extends RateLimitCommon {
  readonly algorithm: 'sliding-window-counter';
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Fixed window: at most `limit` units per window; windows are aligned to multiples of `windowMs`
 * on Redis's clock, so every process agrees on where one ends. One small hash per key.
 */
export interface FixedWindowOptions extends RateLimitCommon {
  readonly algorithm: 'fixed-window';
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * GCRA (generic cell rate algorithm, the go-redis/redis_rate design): `rate` units per `periodMs`,
 * with bursts of up to `burst` units. Stores one number per key (the theoretical arrival time).
 */
export interface GcraOptions extends RateLimitCommon {
  readonly algorithm: 'gcra';
  /** Units replenished per period. */
  readonly rate: number;
  readonly periodMs: number;
  /** The most units that can pass at once; also the `limit` of the result. */
  readonly burst: number;
}

/** Options of `checkRateLimit`: one algorithm and its parameters. */
export type RateLimitOptions =
  | SlidingWindowOptions
  | SlidingWindowCounterOptions
  | FixedWindowOptions
  | GcraOptions;

/** The algorithms `checkRateLimit` offers. */
export type RateLimitAlgorithm = RateLimitOptions['algorithm'];

/** The outcome of one check. Times are on Redis's clock (`TIME`), not the app's. */
export interface RateLimitResult {
  /** Whether this call may proceed. A denied call is not counted. */
  readonly allowed: boolean;
  /** The limit (or the GCRA burst). */
  readonly limit: number;
  /** Units still available right after this check. */
  readonly remaining: number;
  /** When the key is back to its full limit, in Unix ms of Redis's clock. */
  readonly resetAtMs: number;
  /**
   * When denied: how long to wait (ms) before the same call (same cost) is allowed, if nothing else
   * is counted meanwhile; suitable for a `Retry-After` header. 0 when allowed.
   */
  readonly retryAfterMs: number;
  /**
   * True when Redis was unavailable and the `fail-open` policy allowed the call without checking
   * (then `remaining` is limit - cost and `resetAtMs` is the app's own clock: nothing was counted).
   */
  readonly degraded?: true;
}
