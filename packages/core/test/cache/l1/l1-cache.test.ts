import { RedisCapabilityError, RedisService, RedisValidationError } from '@redis-service/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TrackedDriver, TrackedStore } from './tracked-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every few ms until it holds (a hang guard, not a timing assertion). */
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

async function tracked(options: { ttlMs?: number; maxEntries?: number } = {}, store = new TrackedStore()) {
  const driver = new TrackedDriver(store);
  const redis = new RedisService(driver, { keyPrefix: 'app:', l1: options });
  open.push(redis);
  await redis.l1.ready();
  return { store, driver, redis };
}

describe('L1 with tracking: reads', () => {
  it('serves a read again from the L1, and a write through the service evicts it at once', async () => {
    const { store, redis } = await tracked();
    store.set('app:greeting', 'hello');
    expect(await redis.l1.get('greeting')).toBe('hello');
    const sent = store.log.length;
    expect(await redis.l1.get('greeting')).toBe('hello');
    expect(store.log.length).toBe(sent);
    expect(redis.l1.stats).toMatchObject({
      hits: 1,
      misses: 1,
      entries: 1,
      live: true,
      coherence: 'tracking',
    });
    await redis.set('greeting', 'bonjour');
    expect(await redis.l1.get('greeting')).toBe('bonjour');
  });

  it('evicts a key another client changed once its invalidation arrives, and never serves it after', async () => {
    const { store, redis } = await tracked();
    store.set('app:k', 'v1');
    expect(await redis.l1.get('k')).toBe('v1');
    const before = redis.l1.stats.invalidations;
    store.set('app:k', 'v2'); // another client: not through the service
    await until(() => redis.l1.stats.invalidations > before, 'the invalidation');
    expect(await redis.l1.get('k')).toBe('v2');
    expect(await redis.l1.get('k')).toBe('v2');
  });

  it('does not keep a read whose key was invalidated while its reply was on the way', async () => {
    const { store, driver, redis } = await tracked();
    store.set('app:k', 'v1');
    const held = driver.holdReplies();
    const reading = redis.l1.get('k'); // runs on the "server" now, reply held
    await sleep(1);
    const before = redis.l1.stats.invalidations;
    store.set('app:k', 'v2');
    await until(() => redis.l1.stats.invalidations > before, 'the invalidation, before the reply');
    held.release();
    expect(await reading).toBe('v1'); // what Redis answered, to its caller
    expect(await redis.l1.get('k')).toBe('v2'); // not kept: read again
  });

  it('keeps absent keys too, until they are created', async () => {
    const { store, redis } = await tracked();
    expect(await redis.l1.get('missing')).toBeNull();
    expect(await redis.l1.get('missing')).toBeNull();
    expect(redis.l1.stats.hits).toBe(1);
    const before = redis.l1.stats.invalidations;
    store.set('app:missing', 'now here');
    await until(() => redis.l1.stats.invalidations > before, 'the invalidation');
    expect(await redis.l1.get('missing')).toBe('now here');
  });

  it('never serves an entry past its key TTL in Redis, though no invalidation comes for an expiry', async () => {
    const { store, redis } = await tracked();
    store.set('app:short', 'soon gone', 60);
    expect(await redis.l1.get('short')).toBe('soon gone');
    await until(() => store.get('app:short') === null, 'the key to expire in the store');
    await sleep(5);
    expect(await redis.l1.get('short')).toBeNull();
  });

  it('keeps an entry no longer than ttlMs for a key without a TTL', async () => {
    const { store, redis } = await tracked({ ttlMs: 40 });
    store.set('app:forever', 'x');
    expect(await redis.l1.get('forever')).toBe('x');
    await sleep(60);
    const sent = store.log.length;
    expect(await redis.l1.get('forever')).toBe('x');
    expect(store.log.length).toBeGreaterThan(sent);
  });

  it('decodes JSON once and checks a model once per schema; values are frozen and shared', async () => {
    const { store, redis } = await tracked();
    store.set('app:user', JSON.stringify({ id: '1', name: 'Ada', tags: ['x'] }));
    const User = z.object({ id: z.string(), name: z.string(), tags: z.array(z.string()) });
    const first = await redis.l1.getJson<{ name: string; tags: string[] }>('user');
    const second = await redis.l1.getJson<{ name: string; tags: string[] }>('user');
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.tags)).toBe(true);
    expect(() => {
      (first as { name: string }).name = 'Bob';
    }).toThrow(TypeError);
    const model = await redis.l1.getModel('user', User);
    expect(await redis.l1.getModel('user', User)).toBe(model);
    expect(model?.name).toBe('Ada');
    store.set('app:user', JSON.stringify({ id: '1', name: 1 }));
    await until(() => redis.l1.stats.entries === 0, 'the invalidation');
    await expect(redis.l1.getModel('user', User)).rejects.toBeInstanceOf(RedisValidationError);
  });

  it('serves hashes, evicted by HSET', async () => {
    const { redis } = await tracked();
    await redis.hset('h', { a: '1' });
    expect(await redis.l1.hgetall('h')).toEqual({ a: '1' });
    expect(await redis.l1.hgetall('h')).toEqual({ a: '1' });
    expect(redis.l1.stats.hits).toBe(1);
    await redis.hset('h', { b: '2' });
    expect(await redis.l1.hgetall('h')).toEqual({ a: '1', b: '2' });
  });

  it('evicts the keys of writes in pipelines, raw commands and scripts; FLUSHDB empties it', async () => {
    const { store, redis } = await tracked();
    for (const key of ['a', 'b', 'c']) store.set(`app:${key}`, key);
    for (const key of ['a', 'b', 'c']) await redis.l1.get(key);
    expect(redis.l1.stats.entries).toBe(3);
    await redis.pipeline((p) => [p.delete('a')]);
    expect(redis.l1.stats.entries).toBe(2);
    await redis.command(['DEL', 'app:b']);
    expect(redis.l1.stats.entries).toBe(1);
    await redis.command(['FLUSHDB']);
    expect(redis.l1.stats.entries).toBe(0);
    expect(await redis.l1.get('c')).toBeNull();
  });
});

describe('L1 with tracking: the connection', () => {
  it('sends CLIENT TRACKING with BCAST and the key prefix, redirected to the listener itself', async () => {
    const { driver, redis } = await tracked();
    const listener = driver.listener!;
    expect(listener.sent[0]).toEqual([
      'CLIENT',
      'TRACKING',
      'ON',
      'REDIRECT',
      listener.clientId,
      'BCAST',
      'PREFIX',
      'app:',
    ]);
    expect(redis.l1.stats.trackingClientId).toBe(listener.clientId);
  });

  it('empties the L1 and stops serving when the listener is lost, and serves again once a new one is live', async () => {
    const { store, driver, redis } = await tracked();
    store.set('app:k', 'v1');
    await redis.l1.get('k');
    const flushes = redis.l1.stats.flushes;
    driver.listener!.kill();
    // An invalidation sent while nothing listens is lost: the flush is what covers it.
    store.set('app:k', 'v2');
    await until(() => redis.l1.stats.flushes > flushes, 'the flush');
    expect(await redis.l1.get('k')).toBe('v2');
    await until(() => redis.l1.stats.live && driver.listeners.length === 2, 'a new listener');
    expect(await redis.l1.get('k')).toBe('v2');
    expect(await redis.l1.get('k')).toBe('v2');
    const before = redis.l1.stats.invalidations;
    store.set('app:k', 'v3');
    await until(() => redis.l1.stats.invalidations > before, 'an invalidation on the new listener');
    expect(await redis.l1.get('k')).toBe('v3');
  });

  it('reads through to Redis while the listener cannot be opened, and retries', async () => {
    const store = new TrackedStore();
    const driver = new TrackedDriver(store);
    driver.refuseListeners = new Error('no connection');
    const redis = new RedisService(driver, { keyPrefix: 'app:', l1: {} });
    open.push(redis);
    await expect(redis.l1.ready()).rejects.toThrow('no connection');
    store.set('app:k', 'v1');
    expect(await redis.l1.get('k')).toBe('v1');
    store.set('app:k', 'v2');
    expect(await redis.l1.get('k')).toBe('v2');
    expect(redis.l1.stats).toMatchObject({ live: false, entries: 0 });
    driver.refuseListeners = undefined;
    await until(() => redis.l1.stats.live, 'the retry');
  });

  it('empties itself on a nil invalidation (FLUSHDB from another client)', async () => {
    const { store, redis } = await tracked();
    store.set('app:k', 'v');
    await redis.l1.get('k');
    const flushes = redis.l1.stats.flushes;
    store.run(['FLUSHDB']);
    await until(() => redis.l1.stats.flushes > flushes, 'the nil invalidation');
    expect(await redis.l1.get('k')).toBeNull();
  });

  it('closes the listener with the service', async () => {
    const { driver, redis } = await tracked();
    await redis.close();
    expect(driver.listener!.isClosed).toBe(true);
    expect(redis.l1.stats.live).toBe(false);
  });
});

describe('L1: choosing and refusing', () => {
  it('refuses bad options before anything is built', () => {
    const driver = new TrackedDriver(new TrackedStore());
    expect(() => new RedisService(driver, { l1: { maxEntries: 0 } })).toThrow(RedisValidationError);
    expect(() => new RedisService(driver, { l1: { coherence: 'psychic' as 'ttl' } })).toThrow(
      RedisValidationError,
    );
    expect(() => new RedisService(driver, { l1: { ttlMs: 1.5 } })).toThrow(RedisValidationError);
  });

  it('is off on a cluster, with a typed error', () => {
    const driver = new TrackedDriver(new TrackedStore(), { capabilities: { cluster: true } });
    expect(() => new RedisService(driver, { l1: {} })).toThrow(/Redis Cluster/);
  });

  it('picks the bus without tracking, and refuses tracking where the driver cannot', () => {
    const store = new TrackedStore();
    const bus = new RedisService(new TrackedDriver(store, { tracking: false }), { l1: {} });
    open.push(bus);
    expect(bus.l1.stats.coherence).toBe('bus');
    expect(
      () =>
        new RedisService(new TrackedDriver(store, { tracking: false }), { l1: { coherence: 'tracking' } }),
    ).toThrow(RedisCapabilityError);
    expect(
      () => new RedisService(new TrackedDriver(store, { tracking: false, pubsub: false }), { l1: {} }),
    ).toThrow(RedisCapabilityError);
  });

  it('tells a service without l1 to configure one', () => {
    const redis = new RedisService(new TrackedDriver(new TrackedStore()));
    open.push(redis);
    expect(() => redis.l1).toThrow(RedisValidationError);
  });
});

describe('L1 with the bus', () => {
  async function busPair(store = new TrackedStore()) {
    const make = () => {
      const driver = new TrackedDriver(store, { tracking: false });
      const redis = new RedisService(driver, { keyPrefix: 'app:', l1: {} });
      open.push(redis);
      return { driver, redis };
    };
    const a = make();
    const b = make();
    await Promise.all([a.redis.l1.ready(), b.redis.l1.ready()]);
    return { store, a, b };
  }

  it('evicts what another service wrote through the library, and only the TTL bounds an outside write', async () => {
    const { store, a, b } = await busPair();
    await b.redis.set('k', 'v1');
    expect(await a.redis.l1.get('k')).toBe('v1');
    const before = a.redis.l1.stats.invalidations;
    await b.redis.set('k', 'v2');
    await until(() => a.redis.l1.stats.invalidations > before, 'the bus message');
    expect(await a.redis.l1.get('k')).toBe('v2');
    store.set('app:k', 'v3'); // outside the library: nobody announces it
    await sleep(20);
    expect(await a.redis.l1.get('k')).toBe('v2');
  });

  it('empties the L1 and stops serving while the bus subscription is interrupted', async () => {
    const { store, a, b } = await busPair();
    await b.redis.set('k', 'v1');
    await a.redis.l1.get('k');
    a.driver.interrupt('lost');
    expect(a.redis.l1.stats).toMatchObject({ live: false, entries: 0 });
    store.set('app:k', 'v2');
    expect(await a.redis.l1.get('k')).toBe('v2');
    expect(a.redis.l1.stats.entries).toBe(0);
    a.driver.interrupt('restored');
    expect(a.redis.l1.stats.live).toBe(true);
    expect(await a.redis.l1.get('k')).toBe('v2');
    expect(a.redis.l1.stats.entries).toBe(1);
  });

  it('announces a FLUSHDB made through the library', async () => {
    const { store, a, b } = await busPair();
    store.set('app:k', 'v');
    await a.redis.l1.get('k');
    const flushes = a.redis.l1.stats.flushes;
    await b.redis.command(['FLUSHDB']);
    await until(() => a.redis.l1.stats.flushes > flushes, 'the flush announcement');
    expect(await a.redis.l1.get('k')).toBeNull();
  });

  it("announces getOrCompute's stored value, not its lease", async () => {
    const { store, a } = await busPair();
    const published = () => store.log.filter((command) => command[0] === 'PUBLISH').length;
    expect(await a.redis.getOrCompute('report', () => 'fresh', { ttlMs: 60_000 })).toBe('fresh');
    await until(() => published() >= 1, 'the announcement of the stored value');
    await sleep(10);
    expect(published()).toBe(1);
  });
});

describe('L1 with ttl only', () => {
  it('serves at once, evicts its own writes, and sees other writes only at the TTL', async () => {
    const store = new TrackedStore();
    const redis = new RedisService(new TrackedDriver(store, { tracking: false, pubsub: false }), {
      keyPrefix: 'app:',
      l1: { coherence: 'ttl', ttlMs: 50 },
    });
    open.push(redis);
    await redis.set('k', 'v1');
    expect(await redis.l1.get('k')).toBe('v1');
    store.set('app:k', 'v2');
    expect(await redis.l1.get('k')).toBe('v1');
    await sleep(70);
    expect(await redis.l1.get('k')).toBe('v2');
    await redis.set('k', 'v3');
    expect(await redis.l1.get('k')).toBe('v3');
  });
});
