import { RedisConnectionError, RedisService, RedisValidationError } from '@redis-service/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TrackedDriver, TrackedStore } from './tracked-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(2);
  }
}

const open: RedisService[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((service) => service.close()));
});

async function service(store = new TrackedStore(), options: { failurePolicy?: 'fail-open' } = {}) {
  const driver = new TrackedDriver(store);
  const redis = new RedisService(driver, { keyPrefix: 'app:', l1: {}, ...options });
  open.push(redis);
  await redis.l1.ready();
  return { store, driver, redis };
}

function counting<T>(value: () => T) {
  const counter = {
    calls: 0,
    compute: async () => {
      counter.calls++;
      return value();
    },
  };
  return counter;
}

describe('getOrCompute with an L1', () => {
  it('computes once, then serves from the L1 without a round trip', async () => {
    const { store, redis } = await service();
    const report = counting(() => ({ total: 42 }));
    expect(await redis.getOrCompute('report', report.compute, { ttlMs: 60_000 })).toEqual({ total: 42 });
    // The first call after the compute reads the entry and its PTTL; from then on, no round trip.
    await redis.getOrCompute('report', report.compute, { ttlMs: 60_000 });
    const sent = store.log.length;
    for (let i = 0; i < 100; i++) await redis.getOrCompute('report', report.compute, { ttlMs: 60_000 });
    expect(store.log.length).toBe(sent);
    expect(report.calls).toBe(1);
    expect(redis.l1.stats.hits).toBeGreaterThanOrEqual(100);
  });

  it('shares one flight between concurrent callers of a cold key', async () => {
    const { redis } = await service();
    const report = counting(() => 'v');
    const values = await Promise.all(
      Array.from({ length: 50 }, () => redis.getOrCompute('cold', report.compute, { ttlMs: 60_000 })),
    );
    expect(new Set(values)).toEqual(new Set(['v']));
    expect(report.calls).toBe(1);
  });

  it('serves what another process stored, and drops it when that process stores a new one', async () => {
    const store = new TrackedStore();
    const { redis: a } = await service(store);
    const { redis: b } = await service(store);
    await b.getOrCompute('k', () => 'first', { ttlMs: 60_000 });
    expect(await a.getOrCompute('k', () => 'never', { ttlMs: 60_000 })).toBe('first');
    expect(await a.getOrCompute('k', () => 'never', { ttlMs: 60_000 })).toBe('first');
    const before = a.l1.stats.invalidations;
    await b.delete('k');
    await b.getOrCompute('k', () => 'second', { ttlMs: 60_000 });
    await until(() => a.l1.stats.invalidations > before, 'the invalidation');
    expect(await a.getOrCompute('k', () => 'never', { ttlMs: 60_000 })).toBe('second');
  });

  it('serves a stale value while one background refresh runs, then the refreshed one', async () => {
    const { redis } = await service();
    let version = 0;
    const compute = async () => {
      version++;
      await sleep(20);
      return `v${version}`;
    };
    const options = { ttlMs: 30, staleTtlMs: 60_000 };
    expect(await redis.getOrCompute('swr', compute, options)).toBe('v1');
    expect(await redis.getOrCompute('swr', compute, options)).toBe('v1'); // now held by the L1
    await sleep(40); // past fresh, within grace
    const served = await Promise.all(
      Array.from({ length: 20 }, () => redis.getOrCompute('swr', compute, options)),
    );
    expect(new Set(served)).toEqual(new Set(['v1']));
    await until(() => version === 2, 'the background refresh');
    await until(
      () => redis.l1.stats.entries === 0 || version > 2,
      'the refreshed value to evict the stale one',
    );
    expect(await redis.getOrCompute('swr', compute, options)).toBe('v2');
    expect(version).toBe(2);
  });

  it('checks a schema once per entry and hands out the frozen output', async () => {
    const { redis } = await service();
    const User = z.object({ name: z.string() });
    const load = () => ({ name: 'Ada' });
    await redis.getOrCompute('u', load, { ttlMs: 60_000, schema: User });
    const first = await redis.getOrCompute('u', load, { ttlMs: 60_000, schema: User });
    const second = await redis.getOrCompute('u', load, { ttlMs: 60_000, schema: User });
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses bad input on an L1 hit as it would without one', async () => {
    const { redis } = await service();
    await redis.getOrCompute('k', () => 1, { ttlMs: 60_000 });
    await redis.getOrCompute('k', () => 1, { ttlMs: 60_000 });
    await expect(redis.getOrCompute('k', () => 1, { ttlMs: -1 })).rejects.toBeInstanceOf(
      RedisValidationError,
    );
    await expect(redis.getOrCompute('', () => 1, { ttlMs: 1 })).rejects.toBeInstanceOf(RedisValidationError);
  });

  it('leaves Redis failures to the Redis tier: fail-open computes, fail-closed throws', async () => {
    const store = new TrackedStore();
    const { redis } = await service(store, { failurePolicy: 'fail-open' });
    store.down = new RedisConnectionError('down');
    expect(await redis.getOrCompute('x', () => 'local', { ttlMs: 60_000 })).toBe('local');
    const { redis: closed } = await service(store);
    await expect(closed.getOrCompute('y', () => 'local', { ttlMs: 60_000 })).rejects.toBeInstanceOf(
      RedisConnectionError,
    );
  });

  it('caches compute errors only as the Redis tier does (negativeTtlMs), never in the L1', async () => {
    const { redis } = await service();
    const failing = async () => {
      throw new Error('boom');
    };
    await expect(
      redis.getOrCompute('bad', failing, { ttlMs: 60_000, negativeTtlMs: 60_000 }),
    ).rejects.toThrow('boom');
    await expect(
      redis.getOrCompute('bad', () => 'ok', { ttlMs: 60_000, negativeTtlMs: 60_000 }),
    ).rejects.toThrow('boom');
    expect(redis.l1.stats.entries).toBe(0);
  });
});
