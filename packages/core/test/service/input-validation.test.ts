import {
  defineScript,
  RedisSerializationError,
  RedisService,
  RedisValidationError,
  type Schema,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';
import { type BadCase, itRefusesBeforeSending, loose } from '../support/table-cases.js';

/** A Standard Schema that accepts anything, so the JSON encoder is what refuses. */
const anything: Schema<unknown, unknown> = {
  '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) },
};

const circular: Record<string, unknown> = {};
circular.self = circular;

const refused: readonly BadCase[] = [
  // values
  { name: 'set undefined', run: (r) => r.set('k', loose(undefined)) },
  { name: 'set null', run: (r) => r.set('k', loose(null)) },
  { name: 'set boolean', run: (r) => r.set('k', loose(true)) },
  { name: 'set object', run: (r) => r.set('k', loose({ a: 1 })) },
  { name: 'set NaN', run: (r) => r.set('k', Number.NaN) },
  { name: 'set Infinity', run: (r) => r.set('k', Number.POSITIVE_INFINITY) },
  { name: 'set bigint', run: (r) => r.set('k', loose(1n)) },
  { name: 'mset with an undefined value', run: (r) => r.mset({ a: '1', b: loose(undefined) }) },
  { name: 'hset with a missing value', run: (r) => r.hset('h', 'f', loose(undefined)) },
  { name: 'hset record with a null value', run: (r) => r.hset('h', { f: loose(null) }) },
  { name: 'hset with neither field nor record', run: (r) => r.hset('h', loose(null)) },
  { name: 'lpush a boolean', run: (r) => r.lpush('l', 'a', loose(false)) },
  { name: 'sadd an object', run: (r) => r.sadd('s', loose({})) },
  { name: 'sismember undefined', run: (r) => r.sismember('s', loose(undefined)) },
  // empty key lists
  { name: 'delete()', run: (r) => r.delete() },
  { name: 'exists()', run: (r) => r.exists() },
  { name: 'mget([])', run: (r) => r.mget([]) },
  { name: 'mset({})', run: (r) => r.mset({}) },
  { name: 'mset([])', run: (r) => r.mset([]) },
  { name: 'mgetJson([])', run: (r) => r.mgetJson([]) },
  { name: 'msetJson({})', run: (r) => r.msetJson({}) },
  { name: 'msetJson([]) with a ttl', run: (r) => r.msetJson([], { ttl: 5 }) },
  { name: 'hdel without fields', run: (r) => r.hdel('h') },
  { name: 'hmget([])', run: (r) => r.hmget('h', []) },
  { name: 'hset({})', run: (r) => r.hset('h', {}) },
  { name: 'lpush without values', run: (r) => r.lpush('l') },
  { name: 'rpush without values', run: (r) => r.rpush('l') },
  { name: 'sadd without members', run: (r) => r.sadd('s') },
  { name: 'srem without members', run: (r) => r.srem('s') },
  { name: 'zadd({})', run: (r) => r.zadd('z', {}) },
  { name: 'zadd([])', run: (r) => r.zadd('z', []) },
  { name: 'zrem without members', run: (r) => r.zrem('z') },
  { name: 'mget not an array', run: (r) => r.mget(loose('a')) },
  // keys
  { name: "get('')", run: (r) => r.get('') },
  { name: 'get(undefined)', run: (r) => r.get(loose(undefined)) },
  { name: 'get(number)', run: (r) => r.get(loose(1)) },
  { name: "delete('a', '')", run: (r) => r.delete('a', '') },
  { name: "mget(['a', ''])", run: (r) => r.mget(['a', '']) },
  { name: "mset({ '': 'x' })", run: (r) => r.mset({ '': 'x' }) },
  { name: "hget with '' field", run: (r) => r.hget('h', '') },
  { name: "setJson('')", run: (r) => r.setJson('', 1) },
  // scores
  { name: 'zadd NaN score', run: (r) => r.zadd('z', { a: Number.NaN }) },
  { name: 'zadd Infinity score', run: (r) => r.zadd('z', { a: Number.POSITIVE_INFINITY }) },
  {
    name: 'zadd -Infinity score',
    run: (r) => r.zadd('z', [{ member: 'a', score: Number.NEGATIVE_INFINITY }]),
  },
  { name: 'zadd string score', run: (r) => r.zadd('z', { a: loose('1') }) },
  { name: 'zadd non-string member', run: (r) => r.zadd('z', [{ member: loose(1), score: 1 }]) },
  { name: 'zincrBy NaN', run: (r) => r.zincrBy('z', Number.NaN, 'a') },
  { name: 'zrem an undefined member', run: (r) => r.zrem('z', 'a', loose(undefined)) },
  { name: 'zscore an undefined member', run: (r) => r.zscore('z', loose(undefined)) },
  { name: 'zrank a null member', run: (r) => r.zrank('z', loose(null)) },
  { name: 'zincrBy an object member', run: (r) => r.zincrBy('z', 1, loose({})) },
  { name: 'zrangeByScore NaN min', run: (r) => r.zrangeByScore('z', Number.NaN, 1) },
  { name: 'zrangeByScore bound without value', run: (r) => r.zrangeByScore('z', loose({}), 1) },
  {
    name: 'zrangeByScore negative offset',
    run: (r) => r.zrangeByScore('z', 0, 1, { limit: { offset: -1, count: 1 } }),
  },
  {
    name: 'zrangeByScore zero count',
    run: (r) => r.zrangeByScore('z', 0, 1, { limit: { offset: 0, count: 0 } }),
  },
  { name: 'zrange fractional start', run: (r) => r.zrange('z', 0.5, 1) },
  // TTLs
  { name: 'set ttl 0', run: (r) => r.set('k', 'v', { ttl: 0 }) },
  { name: 'set ttl -1', run: (r) => r.set('k', 'v', { ttl: -1 }) },
  { name: 'set ttl 1.5', run: (r) => r.set('k', 'v', { ttl: 1.5 }) },
  { name: 'set ttl NaN', run: (r) => r.set('k', 'v', { ttl: Number.NaN }) },
  { name: 'set ttlMs 0', run: (r) => r.set('k', 'v', { ttlMs: 0 }) },
  { name: 'set ttlMs 0.5', run: (r) => r.set('k', 'v', { ttlMs: 0.5 }) },
  { name: 'set ttl and ttlMs', run: (r) => r.set('k', 'v', { ttl: 1, ttlMs: 1000 }) },
  { name: 'set keepTtl and ttl', run: (r) => r.set('k', 'v', { keepTtl: true, ttl: 1 }) },
  { name: 'set keepTtl and ttlMs', run: (r) => r.set('k', 'v', { keepTtl: true, ttlMs: 1 }) },
  { name: 'set nx and xx', run: (r) => r.set('k', 'v', { nx: true, xx: true }) },
  { name: 'setJson nx and xx', run: (r) => r.setJson('k', 1, { nx: true, xx: true }) },
  { name: 'msetJson ttl -5', run: (r) => r.msetJson({ a: 1 }, { ttl: -5 }) },
  { name: 'expire 0', run: (r) => r.expire('k', 0) },
  { name: 'expire 1.5', run: (r) => r.expire('k', 1.5) },
  { name: 'pexpire -1', run: (r) => r.pexpire('k', -1) },
  { name: 'expire nx and xx', run: (r) => r.expire('k', 5, { nx: true, xx: true }) },
  { name: 'expire gt and lt', run: (r) => r.expire('k', 5, { gt: true, lt: true }) },
  // zadd flags
  { name: 'zadd nx and xx', run: (r) => r.zadd('z', { a: 1 }, { nx: true, xx: true }) },
  { name: 'zadd nx and gt', run: (r) => r.zadd('z', { a: 1 }, { nx: true, gt: true }) },
  { name: 'zadd gt and lt', run: (r) => r.zadd('z', { a: 1 }, { gt: true, lt: true }) },
  // integers and counts
  { name: 'incr by 1.5', run: (r) => r.incr('n', 1.5) },
  { name: 'incr by NaN', run: (r) => r.incr('n', Number.NaN) },
  { name: 'incr by 2^53', run: (r) => r.incr('n', 2 ** 53) },
  { name: 'incr by a string', run: (r) => r.incr('n', loose('2')) },
  { name: 'decr by 0.1', run: (r) => r.decr('n', 0.1) },
  { name: 'hincrBy 0.5', run: (r) => r.hincrBy('h', 'f', 0.5) },
  { name: 'lpop count 0', run: (r) => r.lpop('l', 0) },
  { name: 'rpop count -1', run: (r) => r.rpop('l', -1) },
  { name: 'lrange fractional stop', run: (r) => r.lrange('l', 0, 1.5) },
  // lone surrogates (not well-formed UTF-16): UTF-8 would turn each into U+FFFD
  { name: 'get a key with a lone high surrogate', run: (r) => r.get('q\uD800') },
  { name: 'set a key with a lone low surrogate', run: (r) => r.set('\uDC00q', 'v') },
  { name: 'set a reversed surrogate pair', run: (r) => r.set('\uDE00\uD83D', 'v') },
  { name: 'mset with one such key', run: (r) => r.mset({ ok: 'v', 'q\uDBFF': 'v' }) },
  { name: 'delete such a key', run: (r) => r.delete('ok', 'q\uD800') },
  { name: 'hset such a field', run: (r) => r.hset('h', 'f\uD800', 'v') },
  { name: 'hmget such a field', run: (r) => r.hmget('h', ['f\uDFFF']) },
  { name: 'set such a string value', run: (r) => r.set('k', 'v\uD800') },
  { name: 'hset such a value', run: (r) => r.hset('h', { f: 'v\uDC00' }) },
  { name: 'rpush such a value', run: (r) => r.rpush('l', 'ok', '\uD800') },
  { name: 'sadd such a member', run: (r) => r.sadd('s', '\uDBFF') },
  { name: 'zadd such a member', run: (r) => r.zadd('z', { 'm\uD800': 1 }) },
  { name: 'zscore such a member', run: (r) => r.zscore('z', 'm\uDC00') },
  { name: 'publish to such a channel', run: (r) => r.publish('c\uD800', 'm') },
  { name: 'publish such a message', run: (r) => r.publish('c', 'm\uD800') },
  { name: 'publishJson to such a channel', run: (r) => r.publishJson('c\uD800', 1) },
  { name: 'subscribe to such a channel', run: (r) => r.subscribe('c\uD800') },
  { name: 'getOrCompute such a key', run: (r) => r.getOrCompute('k\uD800', async () => 1, { ttl: 1 }) },
  {
    name: 'checkRateLimit such a key',
    run: (r) => r.checkRateLimit('k\uD800', { algorithm: 'fixed-window', limit: 1, windowMs: 1000 }),
  },
  { name: 'a raw command with such an argument', run: (r) => r.command(['SET', 'k\uD800', 'v']) },
  {
    name: 'a script with such an argument',
    run: (r) => r.runScript(defineScript('return 1'), { args: ['\uD800'] }),
  },
  { name: 'scan matching such a pattern', run: (r) => r.scan({ match: 'k\uD800*' }).next() },
  // JSON
  { name: 'setJson undefined', run: (r) => r.setJson('j', undefined) },
  { name: 'msetJson with an undefined value', run: (r) => r.msetJson({ a: 1, b: undefined }) },
];

const unserializable: readonly BadCase[] = [
  { name: 'setJson NaN', run: (r) => r.setJson('j', { n: Number.NaN }) },
  { name: 'setJson Infinity', run: (r) => r.setJson('j', Number.POSITIVE_INFINITY) },
  { name: 'setJson a Map', run: (r) => r.setJson('j', new Map([['a', 1]])) },
  { name: 'setJson a Set', run: (r) => r.setJson('j', { s: new Set([1]) }) },
  { name: 'setJson an undefined member', run: (r) => r.setJson('j', { a: undefined }) },
  { name: 'setJson an undefined item', run: (r) => r.setJson('j', [undefined]) },
  { name: 'setJson a class instance', run: (r) => r.setJson('j', { e: new Error('x') }) },
  {
    name: 'setModel a NaN the schema lets through',
    run: (r) => r.setModel('m', anything, { n: Number.NaN }),
  },
  { name: 'msetModels a Map', run: (r) => r.msetModels(anything, { a: new Map() }) },
  { name: 'publishJson NaN', run: (r) => r.publishJson('c', Number.NaN) },
  { name: 'a pipeline setJson with a Set', run: (r) => r.pipeline((p) => [p.setJson('j', new Set())]) },
  { name: 'setJson circular', run: (r) => r.setJson('j', circular) },
  { name: 'setJson BigInt', run: (r) => r.setJson('j', { n: 1n }) },
  { name: 'setJson a function', run: (r) => r.setJson('j', () => 1) },
  { name: 'setJson a symbol', run: (r) => r.setJson('j', Symbol('s')) },
  { name: 'msetJson circular among good values', run: (r) => r.msetJson({ ok: 1, bad: circular }) },
  { name: 'msetJson BigInt with a ttl', run: (r) => r.msetJson({ ok: 1, bad: 2n }, { ttl: 9 }) },
];

describe('bad input is refused before anything reaches the driver', () => {
  itRefusesBeforeSending(refused);

  it.each(unserializable)('$name -> RedisSerializationError', async ({ run }) => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const error = await run(redis).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisSerializationError);
    expect(driver.calls).toEqual([]);
  });

  it('names the key in a JSON encoding error', async () => {
    const redis = new RedisService(new FakeDriver(), { keyPrefix: 'app:' });
    const error = await redis.setJson('doc', { n: 1n }).catch((caught: unknown) => caught);
    expect((error as RedisSerializationError).key).toBe('doc');
    expect((error as Error).message).toContain("'doc'");
  });

  it('rejects rather than throws, so a bad call never breaks the caller synchronously', () => {
    const redis = new RedisService(new FakeDriver());
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = redis.set('', loose(undefined));
    }).not.toThrow();
    return expect(promise).rejects.toBeInstanceOf(RedisValidationError);
  });

  it('refuses a bad scan count before sending', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const scan = async () => {
      for await (const _ of redis.scan({ count: 0 })) {
        // nothing to do
      }
    };
    await expect(scan()).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });

  it('refuses a non-string key prefix at construction', () => {
    expect(() => new RedisService(new FakeDriver(), { keyPrefix: loose(1) })).toThrow(RedisValidationError);
  });
});
