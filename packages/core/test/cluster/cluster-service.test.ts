import {
  defineScript,
  hashTag,
  keySlot,
  RedisCrossSlotError,
  RedisService,
  RedisValidationError,
  rateLimitKeys,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { cacheKeys } from '../../src/cache/cache-keys.js';
import { FakeClusterDriver, ownerOf } from '../support/fake-cluster-driver.js';

/** Keys spread over many slots and all three fake masters. */
const KEYS = Array.from({ length: 30 }, (_, i) => `user:${i}`);

function service(options: { keyPrefix?: string } = {}) {
  const driver = new FakeClusterDriver();
  return { driver, redis: new RedisService(driver, { keyPrefix: options.keyPrefix ?? 'app:' }) };
}

describe('a service over a cluster-routed driver', () => {
  it('refuses a consumer whose dead-letter stream is in another slot before anything is sent', () => {
    const { driver, redis } = service();
    expect(() => redis.consume('jobs', { group: 'g', consumer: 'c', deadLetterStream: 'jobs:dead' })).toThrow(
      RedisCrossSlotError,
    );
    expect(driver.calls).toEqual([]);
    const tag = hashTag('jobs');
    expect(() =>
      redis.consume(`${tag}:in`, { group: 'g', consumer: 'c', deadLetterStream: `${tag}:dead` }),
    ).not.toThrow();
  });

  it('sends each single-key command with its own slot', async () => {
    const { driver, redis } = service();
    await redis.set('user:1', 'x');
    expect(await redis.get('user:1')).toBe('x');
    expect(driver.calls.map((call) => call.slot)).toEqual([keySlot('app:user:1'), keySlot('app:user:1')]);
  });

  it('splits mget and mset by slot, sends the parts in parallel and answers in the caller order', async () => {
    const { driver, redis } = service();
    await redis.mset(KEYS.map((key) => [key, `v:${key}`] as const));
    const msets = driver.calls.filter((call) => call.command[0] === 'MSET');
    expect(msets.length).toBe(new Set(KEYS.map((key) => keySlot(`app:${key}`))).size);
    const wanted = [...KEYS].reverse().concat('missing', KEYS[3]!);
    expect(await redis.mget(wanted)).toEqual(wanted.map((key) => (key === 'missing' ? null : `v:${key}`)));
    expect(await redis.mgetJson(['missing'])).toEqual([null]);
  });

  it('sums delete and exists over their slots (a key named twice counts twice)', async () => {
    const { redis } = service();
    await redis.mset(KEYS.slice(0, 10).map((key) => [key, '1'] as const));
    expect(await redis.exists(...KEYS.slice(0, 12), KEYS[0]!)).toBe(11);
    expect(await redis.delete(...KEYS.slice(0, 12))).toBe(10);
    expect(await redis.exists(...KEYS)).toBe(0);
  });

  it('keeps a pipeline: each command to its slot, a split mget included, each result in its place', async () => {
    const { driver, redis } = service();
    const results = await redis.pipeline((p) => [
      p.set(KEYS[0]!, 'a'),
      p.mset({ [KEYS[1]!]: 'b', [KEYS[2]!]: 'c' }),
      p.mget([KEYS[2]!, KEYS[0]!, KEYS[1]!]),
      p.incr(KEYS[0]!),
    ]);
    expect(results[0]).toEqual({ ok: true, value: true });
    expect(results[2]).toEqual({ ok: true, value: ['c', 'a', 'b'] });
    expect(results[3].ok).toBe(false); // the fake knows no INCR: that command's own error
    expect(driver.calls.every((call) => call.transaction === false)).toBe(true);
    // One batch per slot, each command of a slot in the order it was queued.
    // (The mget's one-key part of that slot goes as a GET: see the next case.)
    const slotOf0 = keySlot(`app:${KEYS[0]}`);
    expect(driver.calls.filter((call) => call.slot === slotOf0).map((call) => call.command[0])).toEqual([
      'SET',
      'GET',
      'INCR',
    ]);
  });

  it('sends a one-key part of a split mget as GET, a part of several keys as MGET', async () => {
    const { driver, redis } = service();
    const tag = hashTag('pair');
    await redis.mset({ [KEYS[0]!]: 'a', [`${tag}:1`]: 'b', [`${tag}:2`]: 'c' });
    driver.calls.length = 0;
    expect(await redis.mget([`${tag}:2`, KEYS[0]!, `${tag}:1`])).toEqual(['c', 'a', 'b']);
    const sent = driver.calls.map((call) => call.command.map(String));
    expect(sent).toHaveLength(2);
    expect(sent).toContainEqual(['GET', `app:${KEYS[0]}`]);
    expect(sent).toContainEqual(['MGET', `app:${tag}:2`, `app:${tag}:1`]);
  });

  it('sends a transaction whose keys share a slot to that slot, as one batch', async () => {
    const { driver, redis } = service();
    const tag = hashTag('cart:7');
    const results = await redis.transaction((tx) => [tx.set(`${tag}:a`, '1'), tx.get(`${tag}:b`)]);
    expect(results).toEqual([
      { ok: true, value: true },
      { ok: true, value: null },
    ]);
    expect(new Set(driver.calls.map((call) => call.slot))).toEqual(new Set([keySlot(`app:${tag}`)]));
  });

  it('refuses a transaction whose keys span slots before anything is sent, naming each key and slot', async () => {
    const { driver, redis } = service();
    const error = await redis
      .transaction((tx) => [tx.set('user:1', '1'), tx.set('user:2', '2')])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisCrossSlotError);
    expect(error).toBeInstanceOf(RedisValidationError);
    const crossSlot = error as RedisCrossSlotError;
    expect(crossSlot.keys).toEqual([
      { key: 'app:user:1', slot: keySlot('app:user:1') },
      { key: 'app:user:2', slot: keySlot('app:user:2') },
    ]);
    expect(crossSlot.message).toContain(`'app:user:1' (slot ${keySlot('app:user:1')})`);
    expect(driver.calls).toEqual([]);
  });

  it('refuses a script whose keys span slots before anything is sent, and routes one that keeps to a slot', async () => {
    const { driver, redis } = service();
    const script = defineScript('return redis.call("GET", KEYS[1])');
    await expect(redis.runScript(script, { keys: ['a', 'b'] })).rejects.toBeInstanceOf(RedisCrossSlotError);
    expect(driver.calls).toEqual([]);
    const tag = hashTag('x');
    await redis.runScript(script, { keys: [`${tag}:a`, `${tag}:b`] });
    expect(driver.calls[0]!.slot).toBe(keySlot(`app:${tag}`));
  });

  it('refuses a raw multi-key command it cannot split when its keys span slots', async () => {
    const { driver, redis } = service();
    await expect(redis.command(['SUNION', 'a', 'b'])).rejects.toBeInstanceOf(RedisCrossSlotError);
    expect(driver.calls).toEqual([]);
  });

  it('refuses node-wide keyless commands in command(), pointing at masters()', async () => {
    const { driver, redis } = service();
    for (const command of [['DBSIZE'], ['FLUSHALL'], ['KEYS', '*'], ['SCAN', '0'], ['SCRIPT', 'FLUSH']]) {
      const error = await redis.command(command).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedisValidationError);
      expect((error as Error).message).toContain('masters()');
    }
    expect(driver.calls).toEqual([]);
    expect(await redis.command(['PING'])).toBe('PONG');
  });

  it('runs node-wide commands on each master through masters()', async () => {
    const { driver, redis } = service();
    await redis.mset(KEYS.map((key) => [key, '1'] as const));
    const nodes = await redis.masters();
    expect(nodes.map((node) => node.id)).toEqual(['127.0.0.1:7001', '127.0.0.1:7002', '127.0.0.1:7003']);
    let total = 0;
    for (const node of nodes) total += Number(await node.command(['DBSIZE']));
    expect(total).toBe(KEYS.length * 3); // the fake's one keyspace answers on every node
    expect(driver.calls.filter((call) => call.command[0] === 'DBSIZE').map((call) => call.node)).toEqual(
      nodes.map((node) => node.id),
    );
  });

  it('scans every master, each key from the node that owns it, once', async () => {
    const { driver, redis } = service();
    await redis.mset(KEYS.map((key) => [key, '1'] as const));
    const found: string[] = [];
    for await (const key of redis.scan({ match: 'user:*' })) found.push(key);
    expect(found.sort()).toEqual([...KEYS].sort());
    expect(driver.calls.filter((call) => call.command[0] === 'SCAN').map((call) => call.node)).toEqual([
      '127.0.0.1:7001',
      '127.0.0.1:7002',
      '127.0.0.1:7003',
    ]);
  });

  it('writes msetJson with a TTL as one transaction per slot', async () => {
    const { driver, redis } = service();
    await redis.msetJson(
      KEYS.slice(0, 6).map((key) => [key, { key }] as const),
      { ttlMs: 60_000 },
    );
    const sets = driver.calls.filter((call) => call.command[0] === 'SET');
    expect(sets.length).toBe(6);
    for (const call of sets) expect(call.slot).toBe(keySlot(call.command[1]!));
    expect(await redis.mgetJson(KEYS.slice(0, 6))).toEqual(KEYS.slice(0, 6).map((key) => ({ key })));
  });

  it('refuses a key prefix with a { on a cluster (it would pick the slot of every key)', () => {
    const driver = new FakeClusterDriver();
    for (const keyPrefix of ['{tenant}:', 'app:{', 'a{}:']) {
      expect(() => new RedisService(driver, { keyPrefix })).toThrow(RedisValidationError);
    }
    expect(() => new RedisService(driver, { keyPrefix: 'app}:' })).not.toThrow();
  });
});

describe('keys that must share a slot', () => {
  it('rate limit keys spread over slots, also for keys with a closing brace', () => {
    const slots = new Set(
      Array.from({ length: 100 }, (_, i) => keySlot(`app:${rateLimitKeys(`user}${i}`, 'gcra')[0]}`)),
    );
    expect(slots.size).toBeGreaterThan(80);
    expect(rateLimitKeys('user:1', 'gcra')).toEqual(['rl:{user:1}:gcra']);
    const braced = rateLimitKeys('a}b', 'fixed-window')[0]!;
    expect(braced).toContain('a}b');
    expect(rateLimitKeys('a}c', 'fixed-window')[0]).not.toBe(braced);
  });

  it.each(['user:1', '{tag}:x', 'a}b', '{}x}', '}{', 'x{y'])(
    'cache keys of %j share the value key slot, the notice channel included',
    (key) => {
      const keys = cacheKeys('app:', key);
      const slot = keySlot(`app:${key}`);
      expect(keySlot(`app:${keys.lock}`)).toBe(slot);
      expect(keySlot(`app:${keys.error}`)).toBe(slot);
      expect(keySlot(keys.channel)).toBe(slot);
      expect(ownerOf(slot)).toBeDefined();
    },
  );
});
