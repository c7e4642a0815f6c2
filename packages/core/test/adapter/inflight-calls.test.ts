import {
  RedisAbortedError,
  RedisClosedError,
  RedisConnectionError,
  RedisError,
  RedisTimeoutError,
} from '@redis-service/core';
import { InflightCalls } from '@redis-service/core/adapter';
import { describe, expect, it } from 'vitest';

const asRedisError = (error: unknown): RedisError =>
  error instanceof RedisError ? error : new RedisConnectionError(String(error));
const never = () => new Promise<never>(() => {});

describe('InflightCalls', () => {
  it('settles with the outcome, errors mapped', async () => {
    const calls = new InflightCalls({ describe: 'the test driver' });
    await expect(calls.track(undefined, async () => 7, asRedisError)).resolves.toBe(7);
    await expect(
      calls.track(undefined, () => Promise.reject(new Error('lost')), asRedisError),
    ).rejects.toThrow(RedisConnectionError);
    await expect(
      calls.track(
        undefined,
        () => {
          throw new Error('sync');
        },
        asRedisError,
      ),
    ).rejects.toThrow(RedisConnectionError);
    expect(calls.size).toBe(0);
  });

  it('rejects every call in flight on close, drops their late outcomes, and refuses later calls', async () => {
    const calls = new InflightCalls({ describe: 'the test driver' });
    let finish: (value: string) => void = () => {};
    const late = calls.track(
      undefined,
      () => new Promise<string>((resolve) => (finish = resolve)),
      asRedisError,
    );
    const stuck = calls.track(undefined, never, asRedisError);
    expect(calls.size).toBe(2);
    calls.close();
    await expect(late).rejects.toThrow('the test driver was closed while the command was in flight');
    await expect(stuck).rejects.toThrow(RedisClosedError);
    finish('too late');
    expect(calls.closed).toBe(true);
    expect(() => calls.assertOpen()).toThrow('the test driver is closed');
    await expect(calls.track(undefined, async () => 1, asRedisError)).rejects.toThrow(RedisClosedError);
  });

  it('rejects with RedisAbortedError when the signal fires, or at once when it already has', async () => {
    const calls = new InflightCalls({ describe: 'the test driver' });
    const controller = new AbortController();
    const running = calls.track(controller.signal, never, asRedisError);
    controller.abort();
    await expect(running).rejects.toThrow(RedisAbortedError);
    await expect(calls.track(controller.signal, async () => 1, asRedisError)).rejects.toThrow(
      RedisAbortedError,
    );
    // A signal's reason that is one of ours is given as it is.
    const closing = new AbortController();
    const reason = new RedisClosedError('closing');
    const waiting = calls.track(closing.signal, never, asRedisError);
    closing.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(calls.size).toBe(0);
  });

  it('times a call out after its deadline, with the given error', async () => {
    const calls = new InflightCalls({
      describe: 'the test driver',
      timeoutMs: 20,
      timeoutError: () => new RedisTimeoutError('too slow', 20),
    });
    await expect(calls.track(undefined, never, asRedisError)).rejects.toThrow('too slow');
    const defaults = new InflightCalls({ describe: 'the test driver', timeoutMs: 10 });
    await expect(defaults.track(undefined, never, asRedisError)).rejects.toThrow(RedisTimeoutError);
    // A reply in time clears the timer.
    await expect(calls.track(undefined, async () => 'in time', asRedisError)).resolves.toBe('in time');
  });

  it('fails every call in flight with the error given (a reset)', async () => {
    const calls = new InflightCalls({ describe: 'the test driver' });
    const one = calls.track(undefined, never, asRedisError);
    calls.failAll(() => new RedisConnectionError('reset'));
    await expect(one).rejects.toThrow('reset');
    expect(calls.closed).toBe(false);
  });

  it('counts exactly and keeps every call behind one that never settles, however many pass it', async () => {
    const calls = new InflightCalls({ describe: 'the test driver' });
    const stuck = calls.track(undefined, never, asRedisError);
    const pending: Promise<unknown>[] = [];
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 1000 }, (_, i) =>
        calls.track(undefined, async () => i, asRedisError),
      );
      // One that stays in flight among them, until close.
      pending.push(calls.track(undefined, never, asRedisError));
      await Promise.all(batch);
      expect(calls.size).toBe(round + 2);
    }
    calls.close();
    await expect(stuck).rejects.toBeInstanceOf(RedisClosedError);
    for (const call of pending) await expect(call).rejects.toBeInstanceOf(RedisClosedError);
    expect(calls.size).toBe(0);
  });
});
