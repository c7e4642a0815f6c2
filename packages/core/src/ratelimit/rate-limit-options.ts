import type { RedisFailurePolicy } from '../policy/failure-policy.js';

/** Options every algorithm shares. */
interface RateLimitCommon {
  /** How many units this call takes. Default 1. Must not exceed the limit (or the burst): it could never pass. */
  readonly cost?: number;
  /** What to do when Redis is unavailable; overrides the service's `failurePolicy`. */
  readonly failurePolicy?: RedisFailurePolicy;
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
export type RateLimitOptions = SlidingWindowOptions | FixedWindowOptions | GcraOptions;

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
