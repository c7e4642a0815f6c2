import {
  InflightLimiter,
  RedisAbortedError,
  RedisClosedError,
  RedisReplyError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { CommandExecutor } from '../../src/service/command-executor.js';
import { FakeDriver } from '../support/fake-driver.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('command timeouts', () => {
  it('rejects a command that never settles with RedisTimeoutError and releases its permit', async () => {
    const driver = new FakeDriver().hang();
    const redis = new RedisService(driver, { commandTimeoutMs: 50 });
    const error = await redis.get('k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect((error as RedisTimeoutError).timeoutMs).toBe(50);
    expect((error as RedisTimeoutError).code).toBe('ERR_REDIS_TIMEOUT');
    expect(redis.stats.active).toBe(0);
    // The endpoint still works afterwards.
    driver.reply('v');
    await expect(redis.get('k')).resolves.toBe('v');
  });

  it('times many hung commands out in the order they were issued', async () => {
    const driver = new FakeDriver().hang(30);
    // Queued callers wait as long as it takes here: this is about the command timeout alone.
    const redis = new RedisService(driver, { commandTimeoutMs: 40, queueTimeoutMs: 0, maxInflight: 8 });
    const order: number[] = [];
    const calls = Array.from({ length: 30 }, (_, i) =>
      redis.get(`k${i}`).catch((error: unknown) => {
        expect(error).toBeInstanceOf(RedisTimeoutError);
        order.push(i);
      }),
    );
    await Promise.all(calls);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(redis.stats).toMatchObject({ active: 0, queued: 0, peak: 8 });
  });

  it('lets a fast reply through while an older command is still waiting for its deadline', async () => {
    const driver = new FakeDriver();
    driver.hang();
    driver.reply('fast');
    const redis = new RedisService(driver, { commandTimeoutMs: 60 });
    const slow = redis.get('slow');
    await expect(redis.get('fast')).resolves.toBe('fast');
    await expect(slow).rejects.toBeInstanceOf(RedisTimeoutError);
  });

  it('times out a command that was issued after an earlier one already settled', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver, { commandTimeoutMs: 40 });
    driver.reply('a');
    await expect(redis.get('a')).resolves.toBe('a');
    await sleep(20);
    driver.hang();
    await expect(redis.get('b')).rejects.toBeInstanceOf(RedisTimeoutError);
    expect(redis.stats.active).toBe(0);
  });

  it('never times out when commandTimeoutMs is 0', async () => {
    const driver = new FakeDriver();
    const reply = driver.defer();
    const redis = new RedisService(driver, { commandTimeoutMs: 0 });
    let settled = false;
    const pending = redis.get('k').finally(() => {
      settled = true;
    });
    await sleep(80);
    expect(settled).toBe(false);
    expect(redis.stats.active).toBe(1);
    reply.resolve('late');
    await expect(pending).resolves.toBe('late');
    expect(redis.stats.active).toBe(0);
  });

  it('ignores a reply that arrives after the timeout', async () => {
    const driver = new FakeDriver();
    const reply = driver.defer();
    const redis = new RedisService(driver, { commandTimeoutMs: 30 });
    await expect(redis.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
    reply.resolve('too late');
    await sleep(5);
    expect(redis.stats.active).toBe(0);
  });

  it('starts a queued command’s deadline when it gets its permit, not when it was issued', async () => {
    const driver = new FakeDriver();
    const first = driver.defer();
    const second = driver.defer();
    const redis = new RedisService(driver, { commandTimeoutMs: 300, maxInflight: 1 });
    const a = redis.get('a');
    const b = redis.get('b');
    // Each reply comes at 60% of the timeout after its command was sent, so `b` answers about
    // 360 ms after it was issued: a deadline counted from issue would have failed it.
    await sleep(180);
    first.resolve('a');
    await expect(a).resolves.toBe('a');
    await sleep(180);
    second.resolve('b');
    await expect(b).resolves.toBe('b');
  });

  it('refuses bad service options at construction', () => {
    const driver = new FakeDriver();
    expect(() => new RedisService(driver, { commandTimeoutMs: -1 })).toThrow(RedisValidationError);
    expect(() => new RedisService(driver, { commandTimeoutMs: Number.NaN })).toThrow(RedisValidationError);
    expect(() => new RedisService(driver, { maxInflight: 0 })).toThrow(RedisValidationError);
    expect(() => new RedisService(driver, { maxInflight: 1.5 })).toThrow(RedisValidationError);
  });
});

describe('close', () => {
  it('rejects in-flight and queued commands with RedisClosedError and closes the driver once', async () => {
    const driver = new FakeDriver().hang(2);
    const redis = new RedisService(driver, { maxInflight: 2, commandTimeoutMs: 0 });
    const calls = [redis.get('a'), redis.get('b'), redis.get('c'), redis.get('d')];
    for (const call of calls) call.catch(() => {});
    expect(redis.stats).toMatchObject({ active: 2, queued: 2 });
    await redis.close();
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(RedisClosedError);
    expect(driver.closeCount).toBe(1);
    // The queued commands never reached the driver.
    expect(driver.sent).toEqual([
      ['GET', 'a'],
      ['GET', 'b'],
    ]);
    expect(redis.stats).toMatchObject({ active: 0, queued: 0 });
    expect(redis.closed).toBe(true);
  });

  it('rejects later commands and batches with RedisClosedError without reaching the driver', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await redis.close();
    await expect(redis.get('a')).rejects.toBeInstanceOf(RedisClosedError);
    await expect(redis.command(['PING'])).rejects.toBeInstanceOf(RedisClosedError);
    await expect(redis.pipeline((p) => [p.get('a')])).rejects.toBeInstanceOf(RedisClosedError);
    await expect(redis.msetJson({ a: 1 }, { ttl: 5 })).rejects.toBeInstanceOf(RedisClosedError);
    expect(driver.calls).toEqual([]);
  });

  it('is idempotent: every call returns the same promise and the driver closes once', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const first = redis.close();
    const second = redis.close();
    expect(second).toBe(first);
    await Promise.all([first, second, redis.close()]);
    expect(driver.closeCount).toBe(1);
  });

  it('closes on Symbol.asyncDispose (await using)', async () => {
    const driver = new FakeDriver();
    {
      await using redis = new RedisService(driver);
      driver.reply('v');
      await expect(redis.get('k')).resolves.toBe('v');
    }
    expect(driver.closeCount).toBe(1);
  });

  it('does not let a reply that arrives after close resolve the command', async () => {
    const driver = new FakeDriver();
    const reply = driver.defer();
    const redis = new RedisService(driver);
    const pending = redis.get('k');
    await redis.close();
    reply.resolve('late');
    await expect(pending).rejects.toBeInstanceOf(RedisClosedError);
  });
});

describe('abort signals on raw commands', () => {
  it('rejects a queued command whose signal aborts, without sending it', async () => {
    const driver = new FakeDriver();
    const first = driver.defer();
    const redis = new RedisService(driver, { maxInflight: 1 });
    const a = redis.command(['GET', 'a']);
    const controller = new AbortController();
    const b = redis.command(['GET', 'b'], { signal: controller.signal });
    controller.abort();
    await expect(b).rejects.toBeInstanceOf(RedisAbortedError);
    first.resolve('a');
    await expect(a).resolves.toBe('a');
    expect(driver.sent).toEqual([['GET', 'a']]);
  });

  it('refuses a command whose signal is already aborted, without sending it', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(redis.command(['PING'], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      RedisAbortedError,
    );
    expect(driver.calls).toEqual([]);
    expect(redis.stats.active).toBe(0);
  });

  it('stops waiting for the reply when the signal aborts in flight and releases the permit', async () => {
    const driver = new FakeDriver().hang();
    const redis = new RedisService(driver, { commandTimeoutMs: 0 });
    const controller = new AbortController();
    const pending = redis.command(['GET', 'q'], { signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RedisAbortedError);
    expect(redis.stats.active).toBe(0);
  });

  it("gives the driver a signal of the call's own, which fires with the caller's", async () => {
    const driver = new FakeDriver().hang();
    const redis = new RedisService(driver);
    const controller = new AbortController();
    const pending = redis.command(['PING'], { signal: controller.signal });
    const [call] = driver.calls;
    const driverSignal = call?.method === 'send' ? call.options?.signal : undefined;
    expect(driverSignal).toBeInstanceOf(AbortSignal);
    expect(driverSignal).not.toBe(controller.signal);
    expect(driverSignal?.aborted).toBe(false);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBeInstanceOf(RedisAbortedError);
    expect(driverSignal?.aborted).toBe(true);
    expect(driverSignal?.reason).toBe(reason);
  });
});

describe('CommandExecutor', () => {
  it('releases the permit when the call throws synchronously', async () => {
    const limiter = new InflightLimiter(1);
    const executor = new CommandExecutor(
      limiter,
      { commandTimeoutMs: 50, queueTimeoutMs: 0 },
      'test endpoint',
    );
    const boom = new RedisReplyError('ERR boom');
    await expect(
      executor.run(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(limiter.stats.active).toBe(0);
  });

  it('names the endpoint in timeout messages', async () => {
    const executor = new CommandExecutor(
      new InflightLimiter(1),
      { commandTimeoutMs: 20, queueTimeoutMs: 0 },
      "redis endpoint 'cache'",
    );
    await expect(executor.run(() => new Promise(() => {}))).rejects.toThrow(/cache.*20 ms/);
  });

  it('close rejects in-flight calls, queued calls and later calls', async () => {
    const limiter = new InflightLimiter(1);
    const executor = new CommandExecutor(
      limiter,
      { commandTimeoutMs: 0, queueTimeoutMs: 0 },
      'test endpoint',
    );
    const inflight = executor.run(() => new Promise(() => {}));
    const queued = executor.run(() => Promise.resolve('never runs'));
    executor.close();
    executor.close();
    await expect(inflight).rejects.toBeInstanceOf(RedisClosedError);
    await expect(queued).rejects.toBeInstanceOf(RedisClosedError);
    await expect(executor.run(() => Promise.resolve(1))).rejects.toBeInstanceOf(RedisClosedError);
    expect(executor.closed).toBe(true);
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
  });
});
