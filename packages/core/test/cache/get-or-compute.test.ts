import {
  CacheComputeError,
  CacheWaitTimeoutError,
  cacheKeys,
  RedisConnectionError,
  RedisError,
  RedisSerializationError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
  type Schema,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACQUIRE_SCRIPT, COMPLETE_SCRIPT } from '../../src/cache/lease-scripts.js';
import { FakeDriver } from '../support/fake-driver.js';
import { MemoryDriver, MemoryStore } from './memory-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two services ("processes") over one keyspace, polling or woken by pub/sub. */
function twoProcesses(pubsub: boolean, store = new MemoryStore()) {
  const a = new RedisService(new MemoryDriver(store, { pubsub }), { keyPrefix: 'app:' });
  const b = new RedisService(new MemoryDriver(store, { pubsub }), { keyPrefix: 'app:' });
  return { store, a, b };
}

/**
 * A compute that runs until the test opens its gate: the steps of a case wait for the state they
 * need, never for a pause to be long enough (a busy machine can stretch any pause).
 */
function gatedCompute<T>(outcome: T | Error) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const counter = {
    calls: 0,
    open,
    compute: async (): Promise<T> => {
      counter.calls++;
      await gate;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return counter;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(1);
}

function countingCompute<T>(value: T, ms = 0) {
  const counter = {
    calls: 0,
    compute: async () => {
      counter.calls++;
      if (ms > 0) await sleep(ms);
      return value;
    },
  };
  return counter;
}

describe('getOrCompute: single-flight in one process', () => {
  it('shares one read, one lease and one compute between concurrent callers of one key', async () => {
    const { store, a } = twoProcesses(false);
    const counter = countingCompute({ n: 1 }, 20);
    const values = await Promise.all(
      Array.from({ length: 50 }, () => a.getOrCompute('k', counter.compute, { ttl: 60 })),
    );
    expect(counter.calls).toBe(1);
    expect(new Set(values.map((value) => JSON.stringify(value)))).toEqual(new Set(['{"n":1}']));
    const names = store.log.map((command) => (command[0] === 'EVALSHA' ? command[1] : command[0]));
    expect(names).toEqual(['GET', ACQUIRE_SCRIPT.sha1, COMPLETE_SCRIPT.sha1]);
  });

  it('serves a hit with one GET and no compute', async () => {
    const { store, a } = twoProcesses(false);
    await a.getOrCompute('k', async () => 'v', { ttlMs: 60_000 });
    store.log.length = 0;
    await expect(
      a.getOrCompute('k', () => expect.fail('no compute on a hit'), { ttlMs: 60_000 }),
    ).resolves.toBe('v');
    expect(store.log).toEqual([['GET', 'app:k']]);
  });

  it('stores a {v, d, e} envelope with the TTL (plus the grace) as PX, and releases the lease', async () => {
    const { store, a } = twoProcesses(false);
    await a.getOrCompute('k', async () => ({ x: [1, 2] }), { ttlMs: 1000, staleTtlMs: 500 });
    const entry = JSON.parse(store.get('app:k')!) as { v: unknown; d: number; e: number };
    expect(entry.v).toEqual({ x: [1, 2] });
    expect(entry.d).toBeGreaterThanOrEqual(0);
    expect(entry.e).toBeGreaterThan(Date.now());
    expect(store.pttl('app:k')).toBeGreaterThan(1000);
    expect(store.pttl('app:k')).toBeLessThanOrEqual(1500);
    expect(store.get(`app:${cacheKeys('app:', 'k').lock}`)).toBeNull();
  });
});

describe.each([
  { mode: 'polling', pubsub: false },
  { mode: 'pub/sub', pubsub: true },
])('getOrCompute across processes ($mode)', ({ pubsub }) => {
  it('computes once; the other process waits and gets the value', async () => {
    const { a, b } = twoProcesses(pubsub);
    const counter = countingCompute('shared', 50);
    const [first, second] = await Promise.all([
      a.getOrCompute('k', counter.compute, { ttl: 60 }),
      sleep(5).then(() => b.getOrCompute('k', counter.compute, { ttl: 60 })),
    ]);
    expect([first, second]).toEqual(['shared', 'shared']);
    expect(counter.calls).toBe(1);
  });

  it('a compute error reaches every waiter, is not cached, and the next call computes again', async () => {
    const { store, a, b } = twoProcesses(pubsub);
    const boom = new TypeError('boom');
    const failing = gatedCompute<string>(boom);
    const lock = `app:${cacheKeys('app:', 'k').lock}`;
    const here = Array.from({ length: 5 }, () => a.getOrCompute('k', failing.compute, { ttl: 60 }));
    await until(() => failing.calls === 1 && store.get(lock) !== null);
    const looks = () => store.log.filter((command) => command[1] === ACQUIRE_SCRIPT.sha1).length;
    const before = looks();
    const there = Array.from({ length: 5 }, () => b.getOrCompute('k', failing.compute, { ttl: 60 }));
    // The other process has found the lease taken (so it waits on it) before the compute fails.
    await until(() => looks() > before);
    failing.open();
    const settled = await Promise.allSettled([...here, ...there]);
    expect(failing.calls).toBe(1);
    for (const outcome of settled.slice(0, 5)) expect(outcome).toEqual({ status: 'rejected', reason: boom });
    for (const outcome of settled.slice(5)) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as CacheComputeError;
      expect(reason).toBeInstanceOf(CacheComputeError);
      expect(reason).toBeInstanceOf(RedisError);
      expect(reason).toMatchObject({
        message: 'boom',
        name: 'CacheComputeError',
        code: 'ERR_REDIS_COMPUTE',
        originalName: 'TypeError',
        cached: false,
      });
    }
    expect(store.get('app:k')).toBeNull();
    await expect(b.getOrCompute('k', async () => 'again', { ttl: 60 })).resolves.toBe('again');
  });

  it('a waiter times out with CacheWaitTimeoutError (a RedisTimeoutError), or computes locally when asked', async () => {
    const { store, a, b } = twoProcesses(pubsub);
    const slow = gatedCompute('owner');
    const owner = a.getOrCompute('k', slow.compute, { ttl: 60 });
    await until(() => slow.calls === 1 && store.get(`app:${cacheKeys('app:', 'k').lock}`) !== null);
    const error = await b
      .getOrCompute('k', async () => 'waiter', { ttl: 60, waitTimeoutMs: 50 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CacheWaitTimeoutError);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect(error).toMatchObject({ key: 'k', timeoutMs: 50 });
    await expect(
      b.getOrCompute('k', async () => 'local', { ttl: 60, waitTimeoutMs: 50, onWaitTimeout: 'compute' }),
    ).resolves.toBe('local');
    slow.open();
    await expect(owner).resolves.toBe('owner');
  });

  it('takes over when the owner lets its lease lapse without writing (a crashed process)', async () => {
    const { store, a } = twoProcesses(pubsub);
    const keys = cacheKeys('app:', 'k');
    store.set(`app:${keys.lock}`, 'dead-owner', 60);
    const counter = countingCompute('mine');
    await expect(a.getOrCompute('k', counter.compute, { ttl: 60, waitTimeoutMs: 2000 })).resolves.toBe(
      'mine',
    );
    expect(counter.calls).toBe(1);
  });
});

describe('getOrCompute: pub/sub wake-up', () => {
  it('subscribes only while waiting, and a notice wakes the waiter without another look', async () => {
    const { store, a, b } = twoProcesses(true);
    const channel = cacheKeys('app:', 'k').channel;
    const slow = gatedCompute('v');
    const owner = a.getOrCompute('k', slow.compute, { ttl: 60 });
    await until(() => slow.calls === 1);
    const waiter = b.getOrCompute('k', async () => 'never', { ttl: 60 });
    await until(() => store.subscriberCount(channel) === 1);
    // Its one look after listening is a round trip to the in-memory store: done well within this.
    await sleep(20);
    const looks = () => store.log.filter((command) => command[1] === ACQUIRE_SCRIPT.sha1).length;
    const before = looks();
    slow.open();
    await expect(waiter).resolves.toBe('v');
    await owner;
    expect(looks()).toBe(before);
    expect(store.subscriberCount(channel)).toBe(0);
  });
});

describe('getOrCompute: lease safety', () => {
  it("a compute slower than its lease does not delete the next owner's lease", async () => {
    const { store, a, b } = twoProcesses(false);
    const lock = `app:${cacheKeys('app:', 'k').lock}`;
    // Gates, not pauses: each step waits for the state it needs, however busy the machine is.
    let finishFirst: () => void = () => {};
    const firstGate = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    let finishSecond: () => void = () => {};
    const secondGate = new Promise<void>((resolve) => {
      finishSecond = resolve;
    });
    const first = a.getOrCompute(
      'k',
      async () => {
        await firstGate;
        return 'first';
      },
      { ttl: 60, lockTtlMs: 50 },
    );
    while (store.get(lock) === null) await sleep(1);
    // The first owner's lease lapses while its compute still runs.
    while (store.get(lock) !== null) await sleep(5);
    const second = b.getOrCompute(
      'k',
      async () => {
        await secondGate;
        return 'second';
      },
      { ttl: 60, lockTtlMs: 60_000 },
    );
    while (store.get(lock) === null) await sleep(1);
    const secondToken = store.get(lock);
    finishFirst();
    await expect(first).resolves.toBe('first');
    expect(store.get(lock)).toBe(secondToken);
    finishSecond();
    await expect(second).resolves.toBe('second');
    expect(store.get(lock)).toBeNull();
  });

  it.each([
    { outcome: 'a value', negativeTtlMs: undefined },
    { outcome: 'a failure', negativeTtlMs: 60_000 },
  ])(
    'an owner that lost its lease stores and announces nothing on $outcome, and its caller still gets its own outcome',
    async ({ negativeTtlMs }) => {
      const { store, a, b } = twoProcesses(true);
      const keys = cacheKeys('app:', 'k');
      const lock = `app:${keys.lock}`;
      let finishA: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        finishA = resolve;
      });
      const late = a.getOrCompute(
        'k',
        async () => {
          await gate;
          if (negativeTtlMs !== undefined) throw new Error('A failed late');
          return 'from A';
        },
        { ttl: 60, lockTtlMs: 30, ...(negativeTtlMs === undefined ? {} : { negativeTtlMs }) },
      );
      late.catch(() => {});
      while (store.get(lock) === null) await sleep(1);
      while (store.get(lock) !== null) await sleep(5);
      await expect(b.getOrCompute('k', async () => 'from B', { ttl: 60, lockTtlMs: 5000 })).resolves.toBe(
        'from B',
      );
      const announced: string[] = [];
      const stop = store.subscribe(keys.channel, ({ message }) => announced.push(message));
      finishA();
      if (negativeTtlMs === undefined) await expect(late).resolves.toBe('from A');
      else await expect(late).rejects.toThrow('A failed late');
      await sleep(10);
      stop();
      expect(announced).toEqual([]);
      await expect(b.peekCached('k')).resolves.toMatchObject({ kind: 'value', value: 'from B', fresh: true });
      expect(store.get(`app:${keys.error}`)).toBeNull();
    },
  );

  it('extendLease extends only while this caller still owns the lease', async () => {
    const { store, a } = twoProcesses(false);
    const lock = `app:${cacheKeys('app:', 'k').lock}`;
    await a.getOrCompute(
      'k',
      async ({ extendLease }) => {
        expect(await extendLease(10_000)).toBe(true);
        expect(store.pttl(lock)).toBeGreaterThan(5000);
        store.set(lock, 'someone-else', 10_000);
        expect(await extendLease(10_000)).toBe(false);
        return 1;
      },
      { ttl: 60, lockTtlMs: 100 },
    );
    expect(store.get(lock)).toBe('someone-else');
  });
});

describe('getOrCompute: failure notices', () => {
  it('without negativeTtlMs keeps a notice only as long as waiters may take to look again, and a new owner clears it', async () => {
    const { store, a } = twoProcesses(false);
    const errorKey = `app:${cacheKeys('app:', 'k').error}`;
    const failing = () => Promise.reject(new Error('internal detail'));
    await expect(a.getOrCompute('k', failing, { ttl: 60, lockTtlMs: 60_000 })).rejects.toThrow();
    // The 60 s lease had almost all its time left: the notice is capped at 1 s, plus 1 s of grace.
    expect(store.pttl(errorKey)).toBeGreaterThan(0);
    expect(store.pttl(errorKey)).toBeLessThanOrEqual(2000);
    await expect(a.peekCached('k')).resolves.toBeNull();
    await expect(a.getOrCompute('k', async () => 'ok', { ttl: 60 })).resolves.toBe('ok');
    expect(store.get(errorKey)).toBeNull();
  });

  it('is never served to a caller that did not wait on the failed compute', async () => {
    const { a, b } = twoProcesses(false);
    await expect(a.getOrCompute('k', () => Promise.reject(new Error('first')), { ttl: 60 })).rejects.toThrow(
      'first',
    );
    await expect(b.getOrCompute('k', async () => 'later caller computes', { ttl: 60 })).resolves.toBe(
      'later caller computes',
    );
  });
});

describe('getOrCompute: peekCached', () => {
  it('decodes the envelope: value, freshness, compute time; a cached error; null when missing', async () => {
    const store = new MemoryStore();
    const redis = new RedisService(new MemoryDriver(store), { keyPrefix: 'app:' });
    await expect(redis.peekCached('k')).resolves.toBeNull();
    await redis.getOrCompute('k', async () => ({ n: 1 }), { ttlMs: 60_000 });
    const entry = await redis.peekCached<{ n: number }>('k');
    expect(entry).toMatchObject({ kind: 'value', value: { n: 1 }, fresh: true });
    expect(entry?.kind === 'value' && entry.freshUntil).toBeGreaterThan(Date.now());
    expect(entry?.kind === 'value' && entry.computeMs).toBeGreaterThanOrEqual(0);
    await redis
      .getOrCompute('gone', () => Promise.reject(new RangeError('missing')), { ttl: 60, negativeTtlMs: 5000 })
      .catch(() => {});
    const failed = await redis.peekCached('gone');
    expect(failed?.kind).toBe('error');
    expect(failed?.kind === 'error' && failed.error).toMatchObject({
      message: 'missing',
      originalName: 'RangeError',
      cached: true,
    });
  });

  it('checks the value with a schema, and refuses a key getOrCompute did not write', async () => {
    const store = new MemoryStore();
    const redis = new RedisService(new MemoryDriver(store), { keyPrefix: 'app:' });
    await redis.getOrCompute('k', async () => ({ name: '' }), { ttl: 60 });
    const schema = z.object({ name: z.string().min(1) }) as Schema<unknown, { name: string }>;
    await expect(redis.peekCached('k', { schema })).rejects.toThrow(RedisValidationError);
    store.set('app:plain', 'hello');
    await expect(redis.peekCached('plain')).rejects.toThrow(RedisSerializationError);
  });

  it('reports a stale value as not fresh', async () => {
    const store = new MemoryStore();
    const redis = new RedisService(new MemoryDriver(store), { keyPrefix: 'app:' });
    await redis.getOrCompute('k', async () => 1, { ttlMs: 1, staleTtlMs: 60_000 });
    await sleep(5);
    await expect(redis.peekCached('k')).resolves.toMatchObject({ kind: 'value', value: 1, fresh: false });
  });
});

describe('getOrCompute: negative caching', () => {
  it('caches an error only when negativeTtlMs is given, with its own TTL', async () => {
    const { store, a } = twoProcesses(false);
    let calls = 0;
    const failing = async (): Promise<number> => {
      calls++;
      throw new RangeError('missing');
    };
    await expect(a.getOrCompute('k', failing, { ttl: 60, negativeTtlMs: 5000 })).rejects.toThrow(RangeError);
    const cached = await a
      .getOrCompute('k', failing, { ttl: 60, negativeTtlMs: 5000 })
      .catch((e: unknown) => e);
    expect(cached).toBeInstanceOf(CacheComputeError);
    expect(cached).toMatchObject({ message: 'missing', originalName: 'RangeError', cached: true });
    expect(calls).toBe(1);
    expect(store.pttl('app:k')).toBeLessThanOrEqual(5000);
  });
});

describe('getOrCompute: codecs', () => {
  const schema = z.object({ name: z.string().min(1) }) as Schema<unknown, { name: string }>;

  it('checks a cached value against the schema on read', async () => {
    const { a } = twoProcesses(false);
    await a.getOrCompute('k', async () => ({ name: '' }), { ttl: 60 });
    const error = await a
      .getOrCompute('k', async () => ({ name: 'x' }), { ttl: 60, schema })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisValidationError);
    expect(error).toMatchObject({ key: 'k' });
  });

  it('refuses a computed value that fails the schema or has no JSON form, and writes nothing', async () => {
    const { store, a } = twoProcesses(false);
    await expect(a.getOrCompute('k', async () => ({ name: '' }), { ttl: 60, schema })).rejects.toThrow(
      RedisValidationError,
    );
    await expect(a.getOrCompute('u', async () => undefined, { ttl: 60 })).rejects.toThrow(
      RedisValidationError,
    );
    expect(store.get('app:k')).toBeNull();
    expect(store.get('app:u')).toBeNull();
  });

  it('refuses a computed value JSON would change (a Map, NaN) and writes nothing', async () => {
    const { store, a } = twoProcesses(false);
    await expect(a.getOrCompute('m', async () => new Map([[1, 2]]), { ttl: 60 })).rejects.toThrow(
      RedisSerializationError,
    );
    await expect(a.getOrCompute('n', async () => ({ n: Number.NaN }), { ttl: 60 })).rejects.toThrow(
      RedisSerializationError,
    );
    expect(store.get('app:m')).toBeNull();
    expect(store.get('app:n')).toBeNull();
  });

  it('gives every caller the stored (JSON) form of the value', async () => {
    const { a } = twoProcesses(false);
    const date = new Date(0);
    await expect(a.getOrCompute('k', async () => ({ date }), { ttl: 60 })).resolves.toEqual({
      date: date.toISOString(),
    });
  });
});

describe('getOrCompute: failure policy', () => {
  it('fail-open computes without the cache when Redis is unavailable; fail-closed rethrows', async () => {
    const store = new MemoryStore();
    store.down = new RedisConnectionError('connection refused');
    const open = new RedisService(new MemoryDriver(store), { failurePolicy: 'fail-open' });
    await expect(open.getOrCompute('k', async () => 'computed', { ttl: 60 })).resolves.toBe('computed');
    const closed = new RedisService(new MemoryDriver(store));
    await expect(closed.getOrCompute('k', async () => 'computed', { ttl: 60 })).rejects.toThrow(
      RedisConnectionError,
    );
    await expect(
      closed.getOrCompute('k', async () => 'computed', { ttl: 60, failurePolicy: 'fail-open' }),
    ).resolves.toBe('computed');
  });

  it('never fails open on an error that is not "Redis unavailable"', async () => {
    const store = new MemoryStore();
    store.down = new Error('something else');
    const open = new RedisService(new MemoryDriver(store), { failurePolicy: 'fail-open' });
    await expect(open.getOrCompute('k', async () => 'computed', { ttl: 60 })).rejects.toThrow(
      'something else',
    );
  });
});

describe('getOrCompute: validation', () => {
  it.each([
    ['no options', undefined],
    ['no ttl', {}],
    ['ttl and ttlMs', { ttl: 1, ttlMs: 1000 }],
    ['a zero ttl', { ttl: 0 }],
    ['a fractional ttlMs', { ttlMs: 1.5 }],
    ['a negative lockTtlMs', { ttl: 1, lockTtlMs: -1 }],
    ['a zero waitTimeoutMs', { ttl: 1, waitTimeoutMs: 0 }],
    ['a bad onWaitTimeout', { ttl: 1, onWaitTimeout: 'later' }],
    ['a negative staleTtlMs', { ttl: 1, staleTtlMs: -5 }],
    ['a zero beta', { ttl: 1, earlyRefresh: { beta: 0 } }],
    ['a zero negativeTtlMs', { ttl: 1, negativeTtlMs: 0 }],
    ['a bad failurePolicy', { ttl: 1, failurePolicy: 'open' }],
    ['a schema that is not one', { ttl: 1, schema: {} }],
  ])('refuses %s with RedisValidationError before sending anything', async (_, options) => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(
      redis.getOrCompute('k', async () => 1, options as unknown as Parameters<typeof redis.getOrCompute>[2]),
    ).rejects.toThrow(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });

  it('refuses an empty key and a compute that is not a function', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(redis.getOrCompute('', async () => 1, { ttl: 1 })).rejects.toThrow(RedisValidationError);
    await expect(redis.getOrCompute('k', 'nope' as unknown as () => number, { ttl: 1 })).rejects.toThrow(
      RedisValidationError,
    );
    expect(driver.calls).toEqual([]);
  });

  it('needs the scripting capability', async () => {
    const redis = new RedisService(new FakeDriver({ capabilities: { scripting: false } }));
    await expect(redis.getOrCompute('k', async () => 1, { ttl: 1 })).rejects.toMatchObject({
      capability: 'scripting',
    });
  });
});
