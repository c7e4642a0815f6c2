import { RedisConnectionError, RedisTimeoutError, RedisUnavailableError } from '../errors/redis-error.js';

/**
 * What a feature that can live without Redis (the rate limiter, `getOrCompute`) does when Redis is
 * unavailable:
 * - `'fail-open'`: carry on without Redis (allow the request, compute without the cache) and mark
 *   the result as degraded;
 * - `'fail-closed'`: rethrow the error, so the caller decides.
 *
 * Only "Redis is unavailable" errors (see {@link isRedisUnavailableError}) are subject to the
 * policy; every other error (a bad argument, any other server error reply) is always thrown.
 */
export type RedisFailurePolicy = 'fail-open' | 'fail-closed';

/** The policy used when none is given: errors surface unless the caller opts into failing open. */
export const DEFAULT_FAILURE_POLICY: RedisFailurePolicy = 'fail-closed';

/** Every value a `RedisFailurePolicy` may take, for validation. */
export const REDIS_FAILURE_POLICIES: readonly RedisFailurePolicy[] = ['fail-open', 'fail-closed'];

/**
 * Whether `error` means "Redis could not be reached, did not answer in time, or cannot serve
 * commands right now": a `RedisConnectionError` (a `RedisAuthError` too), a `RedisTimeoutError`,
 * or a `RedisUnavailableError` (the server is loading, busy, a read-only replica, a cluster that
 * is down). Every adapter gives these same classes for the same failure, so a policy behaves the
 * same on every driver. A `RedisClosedError` is NOT one of them: it means this process closed
 * the service, a programming error that failing open would hide.
 */
export function isRedisUnavailableError(
  error: unknown,
): error is RedisConnectionError | RedisTimeoutError | RedisUnavailableError {
  return (
    error instanceof RedisConnectionError ||
    error instanceof RedisTimeoutError ||
    error instanceof RedisUnavailableError
  );
}

/**
 * Whether the policy says to carry on without Redis after `error`: true only for
 * `'fail-open'` and an error that {@link isRedisUnavailableError} accepts.
 */
export function shouldFailOpen(policy: RedisFailurePolicy, error: unknown): boolean {
  return policy === 'fail-open' && isRedisUnavailableError(error);
}

/** Checks a policy option given at runtime (e.g. from untyped config). */
export function isRedisFailurePolicy(value: unknown): value is RedisFailurePolicy {
  return value === 'fail-open' || value === 'fail-closed';
}
