import { RedisAbortedError, RedisError } from './redis-error.js';

/**
 * The error for a call whose `signal` fired: the signal's reason itself when it already is one of
 * ours (e.g. the `RedisClosedError` a closing service aborts its waiters with), otherwise a
 * `RedisAbortedError` saying `what` was aborted, with the reason as its cause.
 */
export function abortedError(signal: AbortSignal, what: string): RedisError {
  const reason: unknown = signal.reason;
  if (reason instanceof RedisError) return reason;
  return new RedisAbortedError(what, { cause: reason });
}
