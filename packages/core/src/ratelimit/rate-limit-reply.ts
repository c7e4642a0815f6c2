import { RedisSerializationError } from '../errors/redis-error.js';
import type { RedisReply } from '../port/reply.js';
import type { RateLimitResult } from './rate-limit-options.js';
import type { PreparedRateLimit } from './validate-rate-limit.js';

/** Reads one check's `{ allowed, remaining, resetAtMs, retryAfterMs }`, refusing any other shape. */
export function decodeRateLimitReply(reply: RedisReply, limit: number): RateLimitResult {
  if (
    !Array.isArray(reply) ||
    reply.length !== 4 ||
    !reply.every((item): item is number => typeof item === 'number')
  ) {
    throw new RedisSerializationError('unexpected reply to the rate-limit script');
  }
  const [allowed, remaining, resetAtMs, retryAfterMs] = reply as [number, number, number, number];
  return { allowed: allowed === 1, limit, remaining, resetAtMs, retryAfterMs };
}

/**
 * Reads check `index`'s four integers out of a batch script's flat reply (see
 * `defineBatchScript`); `undefined` when they are not four integers.
 */
export function batchedRateLimitResult(
  reply: readonly RedisReply[],
  index: number,
  limit: number,
): RateLimitResult | undefined {
  const at = index * 4;
  const allowed = reply[at];
  const remaining = reply[at + 1];
  const resetAtMs = reply[at + 2];
  const retryAfterMs = reply[at + 3];
  if (
    typeof allowed !== 'number' ||
    typeof remaining !== 'number' ||
    typeof resetAtMs !== 'number' ||
    typeof retryAfterMs !== 'number'
  ) {
    return undefined;
  }
  return { allowed: allowed === 1, limit, remaining, resetAtMs, retryAfterMs };
}

/** What a check resolves to when Redis is unavailable and its policy fails open: nothing was counted. */
export function degradedResult(prepared: PreparedRateLimit): RateLimitResult {
  return {
    allowed: true,
    limit: prepared.limit,
    remaining: prepared.limit - prepared.cost,
    resetAtMs: Date.now(),
    retryAfterMs: 0,
    degraded: true,
  };
}
