import {
  RedisAbortedError,
  RedisCapabilityError,
  RedisClosedError,
  RedisConnectionError,
  RedisConnectionLostError,
  RedisError,
  type RedisErrorCode,
  RedisReplyError,
  RedisSerializationError,
  RedisTimeoutError,
  RedisUnknownMasterError,
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
  [
    new RedisConnectionLostError('lost after sending'),
    'RedisConnectionLostError',
    'ERR_REDIS_CONNECTION_LOST',
  ],
  [new RedisUnknownMasterError('m', 'no such master'), 'RedisUnknownMasterError', 'ERR_REDIS_UNKNOWN_MASTER'],
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

  it('makes a lost connection and an unknown master connection errors, and says which master', () => {
    expect(new RedisConnectionLostError('lost')).toBeInstanceOf(RedisConnectionError);
    const unknown = new RedisUnknownMasterError('orders', 'no sentinel knows orders');
    expect(unknown).toBeInstanceOf(RedisConnectionError);
    expect(unknown.masterName).toBe('orders');
    expect(JSON.parse(JSON.stringify(unknown))).toMatchObject({
      masterName: 'orders',
      code: 'ERR_REDIS_UNKNOWN_MASTER',
    });
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

describe('JSON.stringify', () => {
  const parsed = (error: RedisError): Record<string, unknown> => JSON.parse(JSON.stringify(error));

  it.each(instances)('%s keeps its name, code and message', (error, name, code) => {
    expect(parsed(error)).toMatchObject({ name, code, message: error.message });
  });

  it('keeps the detail fields of each class', () => {
    expect(parsed(new RedisReplyError('WRONGTYPE Operation against a key'))).toEqual({
      name: 'RedisReplyError',
      code: 'ERR_REDIS_REPLY',
      message: 'WRONGTYPE Operation against a key',
      prefix: 'WRONGTYPE',
    });
    expect(parsed(new RedisTimeoutError('slow', 250))).toEqual({
      name: 'RedisTimeoutError',
      code: 'ERR_REDIS_TIMEOUT',
      message: 'slow',
      timeoutMs: 250,
    });
    expect(
      parsed(new RedisValidationError('bad', { key: 'k', issues: [{ message: 'x', path: ['a'] }] })),
    ).toEqual({
      name: 'RedisValidationError',
      code: 'ERR_REDIS_VALIDATION',
      message: 'bad',
      key: 'k',
      issues: [{ message: 'x', path: ['a'] }],
    });
    expect(parsed(new RedisCapabilityError('binary', 'upstash'))).toMatchObject({
      capability: 'binary',
      driver: 'upstash',
    });
  });

  it('leaves out the cause and the stack, where a driver error may quote a password', () => {
    const cause = new Error('connect ECONNREFUSED redis://app:s3cret@10.0.0.1:6379');
    const text = JSON.stringify(new RedisConnectionError('connection refused', { cause }));
    expect(text).not.toContain('s3cret');
    expect(JSON.parse(text)).toEqual({
      name: 'RedisConnectionError',
      code: 'ERR_REDIS_CONNECTION',
      message: 'connection refused',
    });
  });

  it('serializes a nested RedisError as its JSON too', () => {
    expect(JSON.parse(JSON.stringify({ error: new RedisClosedError('closed') }))).toEqual({
      error: { name: 'RedisClosedError', code: 'ERR_REDIS_CLOSED', message: 'closed' },
    });
  });
});
