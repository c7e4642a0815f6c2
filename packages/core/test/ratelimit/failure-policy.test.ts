import {
  isRedisFailurePolicy,
  isRedisUnavailableError,
  RedisAuthError,
  RedisClosedError,
  RedisConnectionError,
  RedisReplyError,
  RedisTimeoutError,
  RedisUnavailableError,
  RedisValidationError,
  shouldFailOpen,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('failure policy', () => {
  it('treats connection, auth, timeout and server-state errors as "Redis is unavailable"', () => {
    expect(isRedisUnavailableError(new RedisConnectionError('refused'))).toBe(true);
    expect(isRedisUnavailableError(new RedisAuthError('NOAUTH'))).toBe(true);
    expect(isRedisUnavailableError(new RedisUnavailableError('LOADING loading'))).toBe(true);
    expect(isRedisUnavailableError(new RedisTimeoutError('slow', 10))).toBe(true);
    expect(isRedisUnavailableError(new RedisClosedError('closed'))).toBe(false);
    expect(isRedisUnavailableError(new RedisReplyError('ERR boom'))).toBe(false);
    expect(isRedisUnavailableError(new RedisValidationError('bad'))).toBe(false);
    expect(isRedisUnavailableError(new Error('other'))).toBe(false);
  });

  it('fails open only under fail-open and only for unavailability', () => {
    const down = new RedisConnectionError('refused');
    expect(shouldFailOpen('fail-open', down)).toBe(true);
    expect(shouldFailOpen('fail-closed', down)).toBe(false);
    expect(shouldFailOpen('fail-open', new RedisReplyError('WRONGTYPE x'))).toBe(false);
  });

  it('recognizes the policy values', () => {
    expect(isRedisFailurePolicy('fail-open')).toBe(true);
    expect(isRedisFailurePolicy('fail-closed')).toBe(true);
    expect(isRedisFailurePolicy('open')).toBe(false);
    expect(isRedisFailurePolicy(undefined)).toBe(false);
  });
});
