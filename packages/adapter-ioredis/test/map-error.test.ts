import { inspect } from 'node:util';
import {
  RedisClosedError,
  RedisConnectionError,
  RedisReplyError,
  RedisTimeoutError,
  RedisValidationError,
} from '@redis-service/core';
import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { mapIoredisError } from '../src/index.js';

const context = { endpoint: '127.0.0.1:6379', command: 'GET', commandTimeoutMs: 250 };

function replyError(message: string, command?: { name: string; args: string[] }): Error {
  const error = new (ReplyError as new (message: string) => Error)(message);
  if (command) Object.assign(error, { command });
  return error;
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name });
  return error;
}

describe('mapIoredisError', () => {
  it('maps a reply error to the command itself to RedisReplyError, verbatim, keeping the cause', () => {
    const cause = replyError('WRONGTYPE Operation against a key holding the wrong kind of value', {
      name: 'GET',
      args: ['k'],
    });
    const mapped = mapIoredisError(cause, context);
    expect(mapped).toBeInstanceOf(RedisReplyError);
    expect(mapped.message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect((mapped as RedisReplyError).prefix).toBe('WRONGTYPE');
    expect(mapped.cause).toBe(cause);
  });

  it('maps a nested reply error (no command attached) to RedisReplyError', () => {
    expect(mapIoredisError(replyError('ERR boom'), context)).toBeInstanceOf(RedisReplyError);
  });

  it('maps a failed handshake to RedisConnectionError and strips the AUTH arguments from the cause', () => {
    const cause = replyError('WRONGPASS invalid username-password pair or user is disabled.', {
      name: 'auth',
      args: ['user', 's3cret'],
    });
    const mapped = mapIoredisError(cause, context);
    expect(mapped).toBeInstanceOf(RedisConnectionError);
    expect(mapped.message).toContain('WRONGPASS');
    expect(inspect(mapped, { depth: 10 })).not.toContain('s3cret');
  });

  it('maps ioredis timeouts to RedisTimeoutError with the timeout', () => {
    const mapped = mapIoredisError(new Error('Command timed out'), context);
    expect(mapped).toBeInstanceOf(RedisTimeoutError);
    expect((mapped as RedisTimeoutError).timeoutMs).toBe(250);
  });

  it('maps connection failures to RedisConnectionError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    for (const error of [
      named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 0).'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new Error('Connection is closed.'),
      named('AbortError', 'Command aborted due to connection close'),
      refused,
      'not even an error',
    ]) {
      expect(mapIoredisError(error, context)).toBeInstanceOf(RedisConnectionError);
    }
    const explained = mapIoredisError(named('MaxRetriesPerRequestError', 'Reached the max retries'), {
      ...context,
      lastConnectionError: refused,
    });
    expect(explained.message).toBe(
      'redis connection to 127.0.0.1:6379 failed: connect ECONNREFUSED 127.0.0.1:6379',
    );
  });

  it('redacts credentials from messages', () => {
    const mapped = mapIoredisError(new Error('cannot reach redis://user:s3cret@host:6379'), context);
    expect(mapped.message).not.toContain('s3cret');
    expect(mapped.stack).not.toContain('s3cret');
  });

  it('maps everything to RedisClosedError once the driver is closed, and passes RedisErrors through', () => {
    const closed = mapIoredisError(new Error('Connection is closed.'), { ...context, closed: true });
    expect(closed).toBeInstanceOf(RedisClosedError);
    const own = new RedisValidationError('bad');
    expect(mapIoredisError(own, context)).toBe(own);
  });
});
