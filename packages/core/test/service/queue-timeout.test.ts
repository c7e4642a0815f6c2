import {
  EndpointRegistry,
  RedisClients,
  RedisQueueTimeoutError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
  serviceOverDriver,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

describe('queueTimeoutMs: the clock of the wait for an inflight permit', () => {
  it('rejects a caller that got no permit in time with RedisQueueTimeoutError, and never sends it', async () => {
    const driver = new FakeDriver().hang();
    const redis = new RedisService(driver, { maxInflight: 1, commandTimeoutMs: 60_000, queueTimeoutMs: 30 });
    const held = redis.get('held');
    held.catch(() => {});
    const error = await redis.get('queued').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisQueueTimeoutError);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect(error).toMatchObject({ code: 'ERR_REDIS_TIMEOUT', timeoutMs: 30, sent: false });
    expect((error as Error).message).toMatch(/redis endpoint 'fake'.*30 ms.*never sent/);
    expect(driver.sent).toEqual([['GET', 'held']]);
    // The command in flight runs on its own clock (60 s): it is still waiting for its reply.
    expect(redis.stats).toMatchObject({ active: 1, queued: 0 });
    await redis.close();
  });

  it('starts the command timeout only once the permit is held: a command sent late gets all of it', async () => {
    const driver = new FakeDriver();
    const first = driver.defer();
    driver.hang();
    const redis = new RedisService(driver, { maxInflight: 1, commandTimeoutMs: 40, queueTimeoutMs: 60_000 });
    const a = redis.get('a');
    const b = redis.get('b');
    setTimeout(() => first.resolve('a'), 20);
    await expect(a).resolves.toBe('a');
    const error = await b.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect(error).not.toBeInstanceOf(RedisQueueTimeoutError);
    expect(driver.sent).toEqual([
      ['GET', 'a'],
      ['GET', 'b'],
    ]);
  });

  it('defaults to commandTimeoutMs; 0 waits as long as it takes', async () => {
    const driver = new FakeDriver().hang();
    const bounded = new RedisService(driver, { maxInflight: 1, commandTimeoutMs: 30 });
    bounded.get('held').catch(() => {});
    await expect(bounded.get('queued')).rejects.toMatchObject({ timeoutMs: 30, sent: false });

    const unbounded = new RedisService(new FakeDriver().hang(), {
      maxInflight: 1,
      commandTimeoutMs: 0,
    });
    unbounded.get('held').catch(() => {});
    let settled = false;
    const queued = unbounded.get('queued').finally(() => {
      settled = true;
    });
    queued.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(settled).toBe(false);
    expect(unbounded.stats.queued).toBe(1);
    await unbounded.close();
    await bounded.close();
  });

  it('times out batches and scripts waiting for a permit the same way', async () => {
    const driver = new FakeDriver().hang();
    const redis = new RedisService(driver, { maxInflight: 1, commandTimeoutMs: 60_000, queueTimeoutMs: 20 });
    redis.get('held').catch(() => {});
    await expect(redis.pipeline((p) => [p.get('x')])).rejects.toBeInstanceOf(RedisQueueTimeoutError);
    await expect(redis.command(['PING'])).rejects.toBeInstanceOf(RedisQueueTimeoutError);
    expect(driver.calls).toHaveLength(1);
    await redis.close();
  });

  it('refuses a negative or non-finite queueTimeoutMs at construction', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      expect(() => new RedisService(new FakeDriver(), { queueTimeoutMs: bad })).toThrow(RedisValidationError);
    }
  });

  it('travels from an EndpointSpec through serviceOverDriver', async () => {
    const driver = new FakeDriver().hang();
    const registry = new EndpointRegistry([
      {
        id: 'cache',
        url: 'redis://x',
        kind: 'fake',
        maxInflight: 1,
        commandTimeoutMs: 60_000,
        queueTimeoutMs: 25,
      },
    ]);
    const clients = new RedisClients({
      registry,
      factories: { fake: (spec) => serviceOverDriver(driver, spec) },
    });
    const redis = clients.get('cache');
    redis.get('held').catch(() => {});
    const error = await redis.get('queued').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ timeoutMs: 25, sent: false });
    expect((error as Error).message).toMatch(/redis endpoint 'cache'/);
    await clients.closeAll();
  });
});
