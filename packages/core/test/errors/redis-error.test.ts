import {
  RedisAbortedError,
  RedisCapabilityError,
  RedisClosedError,
  RedisConnectionError,
  RedisError,
  type RedisErrorCode,
  RedisReplyError,
  RedisSerializationError,
  RedisTimeoutError,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';

const instances: readonly [RedisError, string, RedisErrorCode][] = [
  [new RedisConnectionError('refused'), 'RedisConnectionError', 'ERR_REDIS_CONNECTION'],
  [new RedisTimeoutError('slow', 50), 'RedisTimeoutError', 'ERR_REDIS_TIMEOUT'],
  [new RedisReplyError('ERR boom'), 'RedisReplyError', 'ERR_REDIS_REPLY'],
  [new RedisValidationError('bad'), 'RedisValidationError', 'ERR_REDIS_VALIDATION'],
  [new RedisSerializationError('bad json'), 'RedisSerializationError', 'ERR_REDIS_SERIALIZATION'],
  [new RedisCapabilityError('binary', 'upstash'), 'RedisCapabilityError', 'ERR_REDIS_CAPABILITY'],
  [new RedisClosedError('closed'), 'RedisClosedError', 'ERR_REDIS_CLOSED'],
  [new RedisAbortedError('aborted'), 'RedisAbortedError', 'ERR_REDIS_ABORTED'],
];

describe('error hierarchy', () => {
  it.each(instances)('%s has its name and code and is a RedisError', (error, name, code) => {
    expect(error).toBeInstanceOf(RedisError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(String(error)).toContain(name);
  });

  it('gives every class a distinct code', () => {
    expect(new Set(instances.map(([, , code]) => code)).size).toBe(instances.length);
  });

  it('keeps a cause', () => {
    const cause = new Error('socket hang up');
    expect(new RedisConnectionError('lost', { cause }).cause).toBe(cause);
    expect(new RedisConnectionError('lost').cause).toBeUndefined();
  });
});

describe('RedisReplyError', () => {
  it('keeps the server message verbatim and its first word as prefix', () => {
    const message = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    const error = new RedisReplyError(message);
    expect(error.message).toBe(message);
    expect(error.prefix).toBe('WRONGTYPE');
    expect(new RedisReplyError('NOSCRIPT No matching script.').prefix).toBe('NOSCRIPT');
    expect(new RedisReplyError('ERR').prefix).toBe('ERR');
  });
});

describe('details', () => {
  it('RedisTimeoutError carries its timeout', () => {
    expect(new RedisTimeoutError('slow', 250).timeoutMs).toBe(250);
  });

  it('RedisValidationError defaults its issues to the message', () => {
    const plain = new RedisValidationError('key must be a non-empty string');
    expect(plain.issues).toEqual([{ message: 'key must be a non-empty string' }]);
    expect(plain.key).toBeUndefined();
    const detailed = new RedisValidationError('bad', { key: 'k', issues: [{ message: 'x', path: ['a'] }] });
    expect(detailed.key).toBe('k');
    expect(detailed.issues).toEqual([{ message: 'x', path: ['a'] }]);
  });

  it('RedisCapabilityError names the capability and the driver', () => {
    const error = new RedisCapabilityError('transactions', 'upstash', 'a transaction');
    expect(error.capability).toBe('transactions');
    expect(error.driver).toBe('upstash');
    expect(error.message).toBe(
      "a transaction needs the 'transactions' capability, which the upstash driver does not declare",
    );
  });

  it('RedisSerializationError may name a key', () => {
    expect(new RedisSerializationError('bad', { key: 'k' }).key).toBe('k');
    expect(new RedisSerializationError('bad').key).toBeUndefined();
  });
});
