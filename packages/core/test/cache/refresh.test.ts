import { RedisService, xfetchShouldRefresh } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { CacheAside } from '../../src/cache/cache-aside.js';
import { MemoryDriver, MemoryStore } from './memory-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(5);
  }
  throw new Error(`${what}: not within 1 s`);
}

describe('xfetchShouldRefresh', () => {
  const base = { deltaMs: 100, expiresAt: 1000, now: 900, beta: 1 };

  it('refreshes when now - delta * beta * ln(random) reaches the expiry', () => {
    // -ln(e^-1) = 1: 900 + 100 >= 1000.
    expect(xfetchShouldRefresh({ ...base, random: Math.exp(-1) })).toBe(true);
    // -ln(e^-0.5) = 0.5: 950 < 1000.
    expect(xfetchShouldRefresh({ ...base, random: Math.exp(-0.5) })).toBe(false);
  });

  it('scales with beta and delta', () => {
    expect(xfetchShouldRefresh({ ...base, random: Math.exp(-0.5), beta: 2 })).toBe(true);
    expect(xfetchShouldRefresh({ ...base, random: Math.exp(-0.5), deltaMs: 200 })).toBe(true);
    expect(xfetchShouldRefresh({ ...base, random: Math.exp(-1), deltaMs: 0 })).toBe(false);
  });

  it('never refreshes before the expiry with random = 1, always at a random of 0', () => {
    expect(xfetchShouldRefresh({ ...base, random: 1 })).toBe(false);
    expect(xfetchShouldRefresh({ ...base, random: 1, now: 1000 })).toBe(true);
    expect(xfetchShouldRefresh({ ...base, random: 0, now: 0 })).toBe(true);
  });
});

/** A cache over one memory keyspace whose entry clock the test moves by hand. */
function cacheWithClock() {
  const clock = { now: 0 };
  const redis = new RedisService(new MemoryDriver(new MemoryStore()), { keyPrefix: 'app:' });
  const cache = new CacheAside(redis, { now: () => clock.now });
  let computes = 0;
  const compute = async () => {
    computes++;
    // The compute "takes" 100 ms of the test's clock: the delta XFetch weighs.
    clock.now += 100;
    return computes;
  };
  return { clock, cache, compute, computes: () => computes };
}

describe('getOrCompute: stale-while-revalidate', () => {
  it('serves a stale value within the grace while one background refresh runs', async () => {
    const { clock, cache, compute, computes } = cacheWithClock();
    const options = { ttlMs: 1000, staleTtlMs: 60_000 };
    expect(await cache.getOrCompute('k', compute, options)).toBe(1);
    clock.now = 5000;
    const served = await Promise.all([1, 2, 3].map(() => cache.getOrCompute('k', compute, options)));
    expect(served).toEqual([1, 1, 1]);
    await until(async () => (await cache.getOrCompute('k', compute, options)) === 2, 'the refresh lands');
    expect(computes()).toBe(2);
  });

  it('reports a failing background refresh to onRefreshError and keeps serving the stale value', async () => {
    const { clock, cache } = cacheWithClock();
    const errors: unknown[] = [];
    const options = {
      ttlMs: 1000,
      staleTtlMs: 60_000,
      onRefreshError: (error: unknown) => errors.push(error),
    };
    await cache.getOrCompute('k', async () => 'old', options);
    clock.now = 5000;
    const failing = async (): Promise<string> => {
      throw new Error('refresh failed');
    };
    expect(await cache.getOrCompute('k', failing, options)).toBe('old');
    await until(() => errors.length === 1, 'the refresh error is reported');
    expect(errors[0]).toMatchObject({ message: 'refresh failed' });
    expect(await cache.getOrCompute('k', failing, options)).toBe('old');
  });
});

describe('getOrCompute: early refresh (XFetch)', () => {
  it('refreshes a fresh value in the background when the draw says so', async () => {
    const { clock, cache, compute, computes } = cacheWithClock();
    // The entry is fresh until 1100 with a delta of 100; at 1050, -ln(e^-1) * 100 = 100 reaches it.
    const options = { ttlMs: 1000, earlyRefresh: { beta: 1, random: () => Math.exp(-1) } };
    expect(await cache.getOrCompute('k', compute, options)).toBe(1);
    clock.now = 1050;
    expect(await cache.getOrCompute('k', compute, options)).toBe(1);
    await until(() => computes() === 2, 'the early refresh runs');
  });

  it('does not refresh while the draw says it is too early', async () => {
    const { clock, cache, compute, computes } = cacheWithClock();
    const options = { ttlMs: 1000, earlyRefresh: { random: () => Math.exp(-0.1) } };
    await cache.getOrCompute('k', compute, options);
    clock.now = 1050;
    expect(await cache.getOrCompute('k', compute, options)).toBe(1);
    await sleep(20);
    expect(computes()).toBe(1);
  });
});
