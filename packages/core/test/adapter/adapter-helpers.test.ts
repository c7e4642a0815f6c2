import {
  RedisAuthError,
  RedisClosedError,
  RedisConnectionError,
  RedisConnectionLostError,
  RedisReplyError,
  RedisSerializationError,
  RedisTimeoutError,
  RedisValidationError,
} from '@redis-service/core';
import {
  checkRedisUrl,
  checkTimeout,
  classifyServerError,
  commandArgs,
  commandName,
  LastConnectionError,
  mapDriverError,
  readClientId,
  timeoutFailure,
} from '@redis-service/core/adapter';
import { describe, expect, it } from 'vitest';

describe('commandArgs / commandName', () => {
  it('spells numbers as every adapter does and hands bytes to the driver', () => {
    const bytes = Uint8Array.of(1, 2);
    expect(commandArgs(['set', 'k', 1.5, 10n, bytes], (value) => ({ bytes: value }))).toEqual([
      'set',
      'k',
      '1.5',
      '10',
      { bytes },
    ]);
    expect(commandArgs(['GET', 'k'], (value) => value, 1)).toEqual(['k']);
    expect(commandName([new TextEncoder().encode('zrange'), 'k'])).toBe('ZRANGE');
    expect(commandName([])).toBe('');
  });

  it('refuses an empty command and arguments of other types', () => {
    expect(() => commandArgs([], (value) => value)).toThrow(RedisValidationError);
    expect(() => commandArgs(['GET', null as never], (value) => value)).toThrow(
      'unsupported command argument of type null',
    );
  });
});

describe('mapDriverError', () => {
  const context = { driver: 'test', endpoint: '127.0.0.1:1' };
  const classify = (error: Error) =>
    error.name === 'ReplyError'
      ? classifyServerError(error.message, { endpoint: context.endpoint, cause: error })
      : error.message === 'timeout'
        ? new RedisTimeoutError('timed out', 5)
        : error.message === 'gone'
          ? 'the connection is gone'
          : undefined;
  const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

  it('passes RedisErrors through and turns everything into RedisClosedError once closed', () => {
    const own = new RedisReplyError('ERR x');
    expect(mapDriverError(own, context, classify)).toBe(own);
    const closed = mapDriverError(reply('ERR x'), { ...context, closed: true }, classify);
    expect(closed).toBeInstanceOf(RedisClosedError);
    expect(closed.message).toBe('the test driver for 127.0.0.1:1 is closed');
  });

  it("uses the adapter's classes, and a redacted connection failure for the rest", () => {
    expect(mapDriverError(reply('WRONGTYPE x'), context, classify)).toBeInstanceOf(RedisReplyError);
    expect(mapDriverError(reply('NOAUTH x'), context, classify)).toBeInstanceOf(RedisAuthError);
    expect(mapDriverError(new Error('timeout'), context, classify)).toBeInstanceOf(RedisTimeoutError);
    expect(mapDriverError(new Error('gone'), context, classify).message).toBe(
      'redis connection to 127.0.0.1:1 failed: the connection is gone',
    );
    const leaked = mapDriverError(new Error('connect redis://u:secret@h:1 refused'), context, classify);
    expect(leaked).toBeInstanceOf(RedisConnectionError);
    expect(leaked.message).not.toContain('secret');
    expect(mapDriverError('weird', context)).toBeInstanceOf(RedisConnectionError);
  });

  it('says RedisConnectionLostError for a connection failure after the command may have been written', () => {
    const lost = mapDriverError(new Error('gone'), { ...context, written: true }, classify);
    expect(lost).toBeInstanceOf(RedisConnectionLostError);
    expect(lost.message).toBe(
      'redis connection to 127.0.0.1:1 failed: the connection is gone (after the command was sent: it may have run)',
    );
    expect(mapDriverError('weird', { ...context, written: true })).toBeInstanceOf(RedisConnectionLostError);
    // What the server answered, or the client's own timeout, stays what it is.
    const written = { ...context, written: true };
    expect(mapDriverError(reply('READONLY x'), written, classify)).not.toBeInstanceOf(RedisConnectionError);
    expect(mapDriverError(new Error('timeout'), written, classify)).toBeInstanceOf(RedisTimeoutError);
    expect(mapDriverError(new Error('gone'), { ...written, closed: true }, classify)).toBeInstanceOf(
      RedisClosedError,
    );
  });

  it("turns a failure into RedisAuthError when the client's last error refused the credentials", () => {
    const lastError = reply('WRONGPASS invalid username-password pair');
    const mapped = mapDriverError(new Error('Connection is closed.'), { ...context, lastError }, classify);
    expect(mapped).toBeInstanceOf(RedisAuthError);
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it('spells a timeout the same for every adapter', () => {
    const cause = new Error('Command timed out');
    const timeout = timeoutFailure('127.0.0.1:1', 250, cause);
    expect(timeout).toBeInstanceOf(RedisTimeoutError);
    expect(timeout.timeoutMs).toBe(250);
    expect(timeout.message).toBe('redis at 127.0.0.1:1: no reply within 250 ms');
    expect(timeout.cause).toBe(cause);
  });
});

describe('LastConnectionError', () => {
  /** A client's event surface: emits what a test tells it to. */
  function client() {
    const listeners = new Map<string, ((value?: unknown) => void)[]>();
    return {
      on(event: string, listener: (value?: unknown) => void) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
        return this;
      },
      emit(event: string, value?: unknown) {
        for (const listener of listeners.get(event) ?? []) listener(value);
      },
    };
  }

  it("keeps the client's last error until it is ready again, and a recorded reset reason", () => {
    const events = client();
    const connection = new LastConnectionError(events);
    expect(connection.error).toBeUndefined();
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:1');
    events.emit('error', refused);
    events.emit('error', 'not an Error');
    expect(connection.error).toBe(refused);
    events.emit('ready');
    expect(connection.error).toBeUndefined();
    const reason = new RedisTimeoutError('the health check got no answer', 100);
    connection.record(reason);
    expect(connection.error).toBe(reason);
    events.emit('ready');
    expect(connection.error).toBeUndefined();
  });
});

describe('readClientId', () => {
  it('reads CLIENT ID, and closes the connection when that fails', async () => {
    let closed = 0;
    const connection = (reply: unknown) => ({
      send: async () => reply as never,
      close: async () => {
        closed++;
      },
    });
    await expect(readClientId(connection(12))).resolves.toBe(12);
    await expect(readClientId(connection('12'))).rejects.toThrow(RedisSerializationError);
    expect(closed).toBe(1);
  });
});

describe('checkTimeout / checkRedisUrl', () => {
  it('accepts what is valid and names only the scheme of what is not', () => {
    expect(checkTimeout(0, 'x')).toBe(0);
    expect(() => checkTimeout(-1, 'commandTimeoutMs')).toThrow(
      'commandTimeoutMs must be a finite number >= 0',
    );
    expect(checkRedisUrl(new URL('redis://h:1'))).toBe('redis://h:1');
    expect(() => checkRedisUrl('http://u:secret@h')).toThrow(
      "expected a redis:// or rediss:// URL, got a 'http:' URL",
    );
    expect(() => checkRedisUrl('nope', ['redis:', 'rediss:', 'unix:'])).toThrow(
      'expected a redis://, rediss:// or unix: URL, got a value that is not a URL',
    );
  });
});
