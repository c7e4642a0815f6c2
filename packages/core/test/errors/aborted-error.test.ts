import { describe, expect, it } from 'vitest';
import { abortedError } from '../../src/errors/aborted-error.js';
import { RedisAbortedError, RedisClosedError } from '../../src/errors/redis-error.js';

describe('abortedError', () => {
  it('passes one of our errors through as the reason it is', () => {
    const controller = new AbortController();
    const closed = new RedisClosedError('closing');
    controller.abort(closed);
    expect(abortedError(controller.signal, 'x')).toBe(closed);
  });

  it('wraps any other reason in RedisAbortedError, keeping it as the cause', () => {
    const controller = new AbortController();
    controller.abort('user gave up');
    const error = abortedError(controller.signal, 'the command was aborted');
    expect(error).toBeInstanceOf(RedisAbortedError);
    expect(error.message).toBe('the command was aborted');
    expect(error.cause).toBe('user gave up');
  });
});
