import {
  classifyServerError,
  isAuthFailure,
  isRedisUnavailableError,
  RedisAuthError,
  RedisConnectionError,
  RedisError,
  RedisReplyError,
  RedisUnavailableError,
  shouldFailOpen,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('classifyServerError', () => {
  it('gives the states that mean "not available right now" RedisUnavailableError, prefix and text kept', () => {
    for (const message of [
      'LOADING Redis is loading the dataset in memory',
      'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
      "READONLY You can't write against a read only replica.",
      "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
      'CLUSTERDOWN Hash slot not served',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'NOREPLICAS Not enough good replicas to write.',
      "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
    ]) {
      const error = classifyServerError(message);
      expect(error, message).toBeInstanceOf(RedisUnavailableError);
      expect(error).toBeInstanceOf(RedisReplyError);
      expect(error.message).toBe(message);
      expect((error as RedisReplyError).prefix).toBe(message.split(' ')[0]);
      expect(error.code).toBe('ERR_REDIS_UNAVAILABLE');
      expect(isRedisUnavailableError(error)).toBe(true);
      expect(shouldFailOpen('fail-open', error)).toBe(true);
    }
  });

  it('keeps every other server error a plain RedisReplyError (OOM, BUSYKEY, BUSYGROUP, NOPERM)', () => {
    for (const message of [
      "OOM command not allowed when used memory > 'maxmemory'.",
      'BUSYKEY Target key name already exists.',
      'BUSYGROUP Consumer Group name already exists',
      "NOPERM User default has no permissions to run the 'get' command",
      'WRONGTYPE Operation against a key holding the wrong kind of value',
      'ERR unknown command',
      'NOSCRIPT No matching script.',
    ]) {
      const error = classifyServerError(message);
      expect(error, message).toBeInstanceOf(RedisReplyError);
      expect(error).not.toBeInstanceOf(RedisUnavailableError);
      expect(error.code).toBe('ERR_REDIS_REPLY');
      expect(isRedisUnavailableError(error)).toBe(false);
    }
  });

  it('gives refused credentials RedisAuthError, a RedisConnectionError naming the endpoint', () => {
    for (const message of [
      'NOAUTH Authentication required.',
      'WRONGPASS invalid username-password pair or user is disabled.',
      'ERR invalid password',
    ]) {
      expect(isAuthFailure(message), message).toBe(true);
      const error = classifyServerError(message, { endpoint: '10.0.0.1:6379', cause: 'raw' });
      expect(error).toBeInstanceOf(RedisAuthError);
      expect(error).toBeInstanceOf(RedisConnectionError);
      expect(error).toBeInstanceOf(RedisError);
      expect(error.code).toBe('ERR_REDIS_AUTH');
      expect(error.name).toBe('RedisAuthError');
      expect(error.message).toContain('10.0.0.1:6379');
      expect(error.message).toContain(message);
      expect(error.cause).toBe('raw');
    }
    expect(isAuthFailure('ERR AUTH <password> called without any password configured')).toBe(false);
  });

  it('never prints a URL with credentials', () => {
    const error = classifyServerError('WRONGPASS for redis://user:hunter2@host:6379');
    expect(error.message).not.toContain('hunter2');
  });
});
