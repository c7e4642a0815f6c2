import type { Schema } from '../codec/schema.js';
import { describe } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import { isRedisFailurePolicy, type RedisFailurePolicy } from '../policy/failure-policy.js';

/** What a compute is given: the means to keep its lease when it knows it will run long. */
export interface ComputeContext {
  /** The key being computed (without the key prefix). */
  readonly key: string;
  /**
   * Extends this caller's lease to `ms` from now, only while it still holds it (compare-and-
   * pexpire on the lease token). Resolves false when the lease has already passed to another owner.
   */
  extendLease(ms: number): Promise<boolean>;
}

/** Options of `getOrCompute`. Give exactly one of `ttl` and `ttlMs`. */
export interface GetOrComputeOptions<T> {
  /** How long a computed value is fresh, in whole seconds. */
  readonly ttl?: number;
  /** How long a computed value is fresh, in whole milliseconds. */
  readonly ttlMs?: number;
  /** Checks the value on read (and the computed value before it is written). */
  readonly schema?: Schema<unknown, T>;
  /**
   * How long one caller may hold the compute lease (ms) before another process may take over.
   * Default: 10 000. A compute that outlives it (without `extendLease`) writes and announces
   * nothing and never deletes the next owner's lease; its own caller still gets its value.
   */
  readonly lockTtlMs?: number;
  /** How long a caller waits for another caller's compute (ms). Default: `lockTtlMs`. */
  readonly waitTimeoutMs?: number;
  /** At the wait timeout: reject with `CacheWaitTimeoutError` (default) or compute locally. */
  readonly onWaitTimeout?: 'throw' | 'compute';
  /**
   * Stale-while-revalidate: for this long (ms) after the value stops being fresh it is still
   * served, while one process refreshes it in the background. Default: 0 (off).
   */
  readonly staleTtlMs?: number;
  /**
   * Probabilistic early refresh (XFetch): a fresh value is refreshed in the background a little
   * before it expires, earlier for slow computes. `beta` defaults to 1; `random` is for tests.
   */
  readonly earlyRefresh?: { readonly beta?: number; readonly random?: () => number };
  /**
   * Cache a compute error for this long (ms). Without it errors are never cached: a failure is kept
   * only as a short notice for the callers already waiting on that compute (at most the lease's
   * remaining time, capped at 1 s, plus 1 s), never served to a later caller.
   */
  readonly negativeTtlMs?: number;
  /** Called with the error of a background refresh (SWR or early refresh), which no caller awaits. */
  readonly onRefreshError?: (error: unknown) => void;
  /**
   * When Redis is unavailable: `'fail-open'` computes without the cache, `'fail-closed'` rethrows.
   * Default: the service's policy (`'fail-closed'` unless configured).
   */
  readonly failurePolicy?: RedisFailurePolicy;
}

/** `GetOrComputeOptions` checked, with defaults filled in. */
export interface ResolvedGetOrComputeOptions<T> {
  readonly ttlMs: number;
  readonly schema: Schema<unknown, T> | undefined;
  readonly lockTtlMs: number;
  readonly waitTimeoutMs: number;
  readonly onWaitTimeout: 'throw' | 'compute';
  readonly staleTtlMs: number;
  readonly earlyRefresh: { readonly beta: number; readonly random: () => number } | undefined;
  readonly negativeTtlMs: number | undefined;
  readonly onRefreshError: ((error: unknown) => void) | undefined;
  readonly failurePolicy: RedisFailurePolicy;
}

/** Default lease of one compute. */
export const DEFAULT_LOCK_TTL_MS = 10_000;

/** Checks every option before anything is sent; bad ones throw `RedisValidationError`. */
export function resolveGetOrComputeOptions<T>(
  options: GetOrComputeOptions<T> | undefined,
  defaultFailurePolicy: RedisFailurePolicy,
): ResolvedGetOrComputeOptions<T> {
  if (typeof options !== 'object' || options === null) {
    throw new RedisValidationError('getOrCompute needs options with ttl or ttlMs');
  }
  const { ttl, ttlMs } = options;
  if (ttl !== undefined && ttlMs !== undefined) throw new RedisValidationError('give ttl or ttlMs, not both');
  if (ttl === undefined && ttlMs === undefined) {
    throw new RedisValidationError('getOrCompute needs ttl (seconds) or ttlMs');
  }
  const freshMs = ttl === undefined ? positiveInteger(ttlMs, 'ttlMs') : positiveInteger(ttl, 'ttl') * 1000;
  const lockTtlMs = positiveInteger(options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS, 'lockTtlMs');
  const waitTimeoutMs = positiveInteger(options.waitTimeoutMs ?? lockTtlMs, 'waitTimeoutMs');
  const onWaitTimeout = options.onWaitTimeout ?? 'throw';
  if (onWaitTimeout !== 'throw' && onWaitTimeout !== 'compute') {
    throw new RedisValidationError(
      `onWaitTimeout must be 'throw' or 'compute', got ${describe(onWaitTimeout)}`,
    );
  }
  const staleTtlMs =
    options.staleTtlMs === undefined ? 0 : nonNegativeInteger(options.staleTtlMs, 'staleTtlMs');
  const negativeTtlMs =
    options.negativeTtlMs === undefined ? undefined : positiveInteger(options.negativeTtlMs, 'negativeTtlMs');
  const schema = options.schema;
  if (
    schema !== undefined &&
    ((typeof schema !== 'object' && typeof schema !== 'function') ||
      schema === null ||
      !('~standard' in schema))
  ) {
    throw new RedisValidationError('schema must be a Standard Schema (zod, valibot, arktype, ...)');
  }
  const onRefreshError = options.onRefreshError;
  if (onRefreshError !== undefined && typeof onRefreshError !== 'function') {
    throw new RedisValidationError('onRefreshError must be a function');
  }
  const failurePolicy = options.failurePolicy ?? defaultFailurePolicy;
  if (!isRedisFailurePolicy(failurePolicy)) {
    throw new RedisValidationError(
      `failurePolicy must be 'fail-open' or 'fail-closed', got ${describe(failurePolicy)}`,
    );
  }
  return {
    ttlMs: freshMs,
    schema,
    lockTtlMs,
    waitTimeoutMs,
    onWaitTimeout,
    staleTtlMs,
    earlyRefresh: resolveEarlyRefresh(options.earlyRefresh),
    negativeTtlMs,
    onRefreshError,
    failurePolicy,
  };
}

function resolveEarlyRefresh(
  option: GetOrComputeOptions<unknown>['earlyRefresh'],
): ResolvedGetOrComputeOptions<unknown>['earlyRefresh'] {
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null) {
    throw new RedisValidationError('earlyRefresh must be an object like { beta: 1 }');
  }
  const beta = option.beta ?? 1;
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta <= 0) {
    throw new RedisValidationError(`earlyRefresh.beta must be a finite number > 0, got ${describe(beta)}`);
  }
  const random = option.random ?? Math.random;
  if (typeof random !== 'function') throw new RedisValidationError('earlyRefresh.random must be a function');
  return { beta, random };
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RedisValidationError(`${what} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

function nonNegativeInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RedisValidationError(`${what} must be an integer >= 0, got ${describe(value)}`);
  }
  return value;
}
