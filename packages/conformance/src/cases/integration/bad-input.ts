import assert from 'node:assert/strict';
import {
  RedisSerializationError,
  type RedisService,
  RedisValidationError,
  type RedisValue,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';
import { unchecked } from './support/unchecked.js';
import { ada, type User, userSchema } from './support/user-schema.js';

const invalid = (promise: Promise<unknown>, what: string) => rejectsWith(promise, RedisValidationError, what);
const unencodable = (promise: Promise<unknown>, what: string) =>
  rejectsWith(promise, RedisSerializationError, what);

/** What a JavaScript caller (or a bad cast) may pass where the types say a value. */
const value = (bad: unknown) => unchecked<RedisValue>(bad);

async function assertNothingWritten(redis: RedisService, ...keys: string[]): Promise<void> {
  assert.equal(await redis.exists(...keys), 0, `none of ${keys.join(', ')} may exist`);
}

function circularObject(): Record<string, unknown> {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = { parent: node };
  return node;
}

/**
 * Cases on input the service must refuse before sending anything: each call rejects with a typed
 * error and the keys it aimed at stay untouched.
 */
export const badInputCases: IntegrationCase[] = defineCases('bad-input', [
  {
    slug: 'undefined-and-null-values',
    name: 'undefined, null, booleans and objects as values are refused with RedisValidationError',
    async run({ redis }) {
      await invalid(redis.set('k', value(undefined)), 'set undefined');
      await invalid(redis.set('k', value(null)), 'set null');
      await invalid(redis.set('k', value(true)), 'set a boolean');
      await invalid(redis.set('k', value({ a: 1 })), 'set an object');
      await invalid(redis.set('k', Number.NaN), 'set NaN');
      await invalid(redis.hset('h', 'f', value(undefined)), 'hset undefined');
      await invalid(redis.hset('h', { a: '1', b: value(null) }), 'hset a record with null');
      await invalid(redis.lpush('l', value(undefined)), 'lpush undefined');
      await invalid(redis.lpush('l', 'a', value(null)), 'lpush with a null among values');
      await invalid(redis.rpush('l', value(undefined)), 'rpush undefined');
      await invalid(redis.sadd('s', value(null)), 'sadd null');
      await invalid(redis.sadd('s', 'a', value(undefined)), 'sadd with undefined among members');
      await invalid(redis.mset({ a: '1', b: value(undefined) }), 'mset a record with undefined');
      await invalid(
        redis.mset([
          ['a', '1'],
          ['b', value(null)],
        ]),
        'mset pairs with null',
      );
      await assertNothingWritten(redis, 'k', 'h', 'l', 's', 'a', 'b');
    },
  },
  {
    slug: 'empty-lists',
    name: 'empty key, value and member lists are refused with RedisValidationError',
    async run({ redis }) {
      await invalid(redis.mget([]), 'mget []');
      await invalid(redis.mset({}), 'mset {}');
      await invalid(redis.mset([]), 'mset []');
      await invalid(redis.delete(), 'delete()');
      await invalid(redis.exists(), 'exists()');
      await invalid(redis.mgetJson([]), 'mgetJson []');
      await invalid(redis.msetJson({}), 'msetJson {}');
      await invalid(redis.msetJson([], { ttl: 10 }), 'msetJson [] with ttl');
      await invalid(redis.mgetModels([], userSchema), 'mgetModels []');
      await invalid(redis.msetModels(userSchema, {}), 'msetModels {}');
      await invalid(redis.hmget('h', []), 'hmget []');
      await invalid(redis.hdel('h'), 'hdel()');
      await invalid(redis.hset('h', {}), 'hset {}');
      await invalid(redis.lpush('l'), 'lpush()');
      await invalid(redis.rpush('l'), 'rpush()');
      await invalid(redis.sadd('s'), 'sadd()');
      await invalid(redis.zadd('z', {}), 'zadd {}');
      await invalid(redis.zadd('z', []), 'zadd []');
      await assertNothingWritten(redis, 'h', 'l', 's', 'z');
    },
  },
  {
    slug: 'non-finite-scores',
    name: 'NaN and infinite scores and increments are refused with RedisValidationError',
    async run({ redis }) {
      await invalid(redis.zadd('z', { m: Number.NaN }), 'zadd NaN');
      await invalid(redis.zadd('z', { m: Number.POSITIVE_INFINITY }), 'zadd Infinity');
      await invalid(redis.zadd('z', { m: Number.NEGATIVE_INFINITY }), 'zadd -Infinity');
      await invalid(
        redis.zadd('z', [
          { member: 'ok', score: 1 },
          { member: 'bad', score: Number.NaN },
        ]),
        'zadd with one NaN among valid members',
      );
      await invalid(redis.zadd('z', { m: unchecked<number>('1') }), 'zadd a string score');
      await invalid(redis.zincrBy('z', Number.NaN, 'm'), 'zincrBy NaN');
      await invalid(redis.zincrBy('z', Number.POSITIVE_INFINITY, 'm'), 'zincrBy Infinity');
      await invalid(redis.zrangeByScore('z', Number.NaN, 1), 'zrangeByScore with a NaN bound');
      await assertNothingWritten(redis, 'z');
    },
  },
  {
    slug: 'invalid-ttls-on-writes',
    name: 'negative, zero, fractional and conflicting TTLs on writes are refused and nothing is written',
    async run({ redis }) {
      await invalid(redis.set('k', 'v', { ttl: -1 }), 'set ttl -1');
      await invalid(redis.set('k', 'v', { ttl: 0 }), 'set ttl 0');
      await invalid(redis.set('k', 'v', { ttl: 1.5 }), 'set ttl 1.5');
      await invalid(redis.set('k', 'v', { ttl: Number.NaN }), 'set ttl NaN');
      await invalid(redis.set('k', 'v', { ttlMs: -5 }), 'set ttlMs -5');
      await invalid(redis.set('k', 'v', { ttlMs: 0 }), 'set ttlMs 0');
      await invalid(redis.set('k', 'v', { ttlMs: 2.5 }), 'set ttlMs 2.5');
      await invalid(redis.set('k', 'v', { ttl: 10, ttlMs: 10_000 }), 'set ttl and ttlMs');
      await invalid(redis.set('k', 'v', { ttl: 10, keepTtl: true }), 'set ttl and keepTtl');
      await invalid(redis.setJson('j', { a: 1 }, { ttl: 0 }), 'setJson ttl 0');
      await invalid(redis.msetJson({ a: 1, b: 2 }, { ttl: -1 }), 'msetJson ttl -1');
      await invalid(redis.setModel('m', userSchema, ada, { ttlMs: 0.5 }), 'setModel ttlMs 0.5');
      await invalid(redis.msetModels(userSchema, { m: ada }, { ttl: 0 }), 'msetModels ttl 0');
      await assertNothingWritten(redis, 'k', 'j', 'a', 'b', 'm');
    },
  },
  {
    slug: 'invalid-expire-leaves-the-key',
    name: 'expire and pexpire with a zero, negative or fractional time are refused and the key is untouched',
    async run({ redis }) {
      await redis.set('k', 'v');
      // EXPIRE k 0 would delete the key on the server: refusing it is what keeps the key.
      await invalid(redis.expire('k', 0), 'expire 0');
      await invalid(redis.expire('k', -1), 'expire -1');
      await invalid(redis.expire('k', 1.5), 'expire 1.5');
      await invalid(redis.pexpire('k', 0), 'pexpire 0');
      await invalid(redis.pexpire('k', -100), 'pexpire -100');
      await invalid(redis.pexpire('k', 2.5), 'pexpire 2.5');
      await invalid(redis.expire('k', 10, { nx: true, xx: true }), 'expire nx and xx');
      await invalid(redis.expire('missing', 0), 'expire 0 on a missing key');
      assert.equal(await redis.get('k'), 'v');
      assert.equal(await redis.ttl('k'), -1, 'no expiry was set');
      await assertNothingWritten(redis, 'missing');
    },
  },
  {
    slug: 'unencodable-json',
    name: 'circular, BigInt-bearing and function values are refused with RedisSerializationError',
    async run({ redis }) {
      await unencodable(redis.setJson('j', circularObject()), 'setJson circular');
      await unencodable(redis.setJson('j', { id: 1n }), 'setJson with a BigInt inside');
      await unencodable(redis.setJson('j', 10n), 'setJson a BigInt');
      await unencodable(
        redis.setJson('j', () => 1),
        'setJson a function',
      );
      await invalid(redis.setJson('j', undefined), 'setJson undefined');
      await unencodable(redis.msetJson({ ok: 1, bad: circularObject() }), 'msetJson with a circular value');
      await unencodable(
        redis.msetJson(
          [
            ['ok', 1],
            ['bad', { n: 2n }],
          ],
          { ttl: 10 },
        ),
        'msetJson with a BigInt and a ttl',
      );
      await assertNothingWritten(redis, 'j', 'ok', 'bad');
    },
  },
  {
    slug: 'json-would-change-the-value',
    name: 'values JSON would silently change (NaN, Infinity, Map, Set, undefined members and items, class instances, an invalid Date) are refused by every JSON write, naming the path, and nothing is written',
    async run({ redis }) {
      class Point {
        constructor(
          readonly x: number,
          readonly y: number,
        ) {}
      }
      const lossy: [string, unknown, readonly (string | number)[]][] = [
        ['NaN', { score: Number.NaN }, ['score']],
        ['Infinity', [1, Number.POSITIVE_INFINITY], [1]],
        ['-Infinity', Number.NEGATIVE_INFINITY, []],
        ['a Map', { tags: new Map([['a', 1]]) }, ['tags']],
        ['a Set', { ids: new Set([1, 2]) }, ['ids']],
        ['an undefined member', { a: 1, b: undefined }, ['b']],
        ['an undefined item', { list: [1, undefined, 3] }, ['list', 1]],
        ['a function member', { f: () => 1 }, ['f']],
        ['a class instance', { at: new Point(1, 2) }, ['at']],
        ['an invalid Date', { when: new Date(Number.NaN) }, ['when']],
      ];
      for (const [what, bad, path] of lossy) {
        const error = await unencodable(redis.setJson('j', bad), `setJson with ${what}`);
        assert.deepEqual(error.path, path, `setJson with ${what}: the error names the path`);
        assert.equal(error.key, 'j');
        await unencodable(redis.msetJson({ ok: 1, bad }), `msetJson with ${what}`);
        await unencodable(redis.msetJson({ ok: 1, bad }, { ttl: 10 }), `msetJson with ${what} and a ttl`);
        await unencodable(
          redis.pipeline((p) => [p.setJson('ok', 1), p.setJson('j', bad)]),
          `a pipeline with ${what}`,
        );
        await unencodable(
          redis.getOrCompute('goc', async () => bad, { ttl: 10 }),
          `getOrCompute of ${what}`,
        );
      }
      await assertNothingWritten(redis, 'j', 'ok', 'bad', 'goc');
      // What JSON holds exactly still goes through: a Date by its toJSON, null, nested plain data.
      assert.equal(await redis.setJson('j', { when: new Date(0), none: null, list: [{ a: [true] }] }), true);
      assert.deepEqual(await redis.getJson('j'), {
        when: '1970-01-01T00:00:00.000Z',
        none: null,
        list: [{ a: [true] }],
      });
    },
  },
  {
    slug: 'lone-surrogates',
    name: 'keys, fields, members, channels and string values that are not well-formed UTF-16 (a lone surrogate) are refused with RedisValidationError: two such keys never name one Redis key',
    async run({ redis }) {
      const high = 'q\uD800';
      const low = 'q\uDBFF';
      await invalid(redis.set(high, 'v'), 'set with a lone high surrogate in the key');
      await invalid(redis.set(low, 'v'), 'set with another lone surrogate in the key');
      await invalid(redis.get('x\uDC00y'), 'get with a lone low surrogate in the key');
      await invalid(redis.mset({ ok: 'v', [high]: 'v' }), 'mset with one such key');
      await invalid(redis.hset('h', high, 'v'), 'hset with such a field');
      await invalid(redis.hset('h', { ok: 'v', [low]: 'v' }), 'hset a record with such a field');
      await invalid(redis.zadd('z', { [high]: 1 }), 'zadd with such a member');
      await invalid(redis.sadd('s', 'ok', low), 'sadd with such a member');
      await invalid(redis.set('k', 'value \uD800'), 'set with such a string value');
      await invalid(redis.rpush('l', 'ok', '\uDFFF'), 'rpush with such a value');
      await invalid(redis.publish('chan\uD800', 'm'), 'publish to such a channel');
      await invalid(redis.publish('chan', 'message \uD800'), 'publish such a message');
      await invalid(
        redis.getOrCompute(high, async () => 1, { ttl: 10 }),
        'getOrCompute of such a key',
      );
      await invalid(redis.command(['SET', 'k\uD800', 'v']), 'a raw command with such an argument');
      await assertNothingWritten(redis, 'ok', 'h', 'z', 's', 'k', 'l', 'q\uFFFD');
      // Well-formed text, pairs and all, is stored and read back as it is.
      const emoji = 'key \uD83D\uDE00';
      assert.equal(await redis.set(emoji, 'value \uD83D\uDE00'), true);
      assert.equal(await redis.get(emoji), 'value \uD83D\uDE00');
      // JSON escapes a lone surrogate (\\ud800), so JSON values keep it exactly.
      assert.equal(await redis.setJson('j', { text: 'x\uD800' }), true);
      assert.deepEqual(await redis.getJson('j'), { text: 'x\uD800' });
    },
  },
  {
    slug: 'schema-invalid-models',
    name: 'model writes that fail the schema, or pass no schema, are refused with RedisValidationError',
    async run({ redis }) {
      await invalid(
        redis.setModel('m', userSchema, unchecked<User>({ ...ada, age: 1.5 })),
        'setModel age 1.5',
      );
      await invalid(redis.setModel('m', userSchema, unchecked<User>('Ada')), 'setModel a string');
      await invalid(redis.setModel('m', userSchema, unchecked<User>(null)), 'setModel null');
      await invalid(
        redis.msetModels(userSchema, { ok: ada, bad: unchecked<User>({ ...ada, tags: [1] }) }),
        'msetModels with one invalid value',
      );
      await invalid(redis.setModel('m', unchecked<typeof userSchema>({}), ada), 'setModel without a schema');
      await assertNothingWritten(redis, 'm', 'ok', 'bad');
    },
  },
  {
    slug: 'empty-and-non-string-keys',
    name: 'an empty string (or a non-string) as a key or field is refused with RedisValidationError',
    async run({ redis, prefix }) {
      await invalid(redis.get(''), 'get ""');
      await invalid(redis.set('', 'v'), 'set ""');
      await invalid(redis.incr(''), 'incr ""');
      await invalid(redis.setJson('', { a: 1 }), 'setJson ""');
      await invalid(redis.mset({ '': 'v', ok: 'v' }), 'mset with an empty key');
      await invalid(redis.exists('ok', ''), 'exists with an empty key');
      await invalid(redis.delete(''), 'delete ""');
      await invalid(redis.expire('', 10), 'expire ""');
      await invalid(redis.hset('', 'f', 'v'), 'hset with an empty key');
      await invalid(redis.hset('h', '', 'v'), 'hset with an empty field');
      await invalid(redis.hset('h', { '': 'v' }), 'hset a record with an empty field');
      await invalid(redis.get(unchecked<string>(undefined)), 'get undefined');
      await invalid(redis.get(unchecked<string>(42)), 'get a number key');
      await invalid(redis.set(unchecked<string>(null), 'v'), 'set a null key');
      // With a prefix, an empty key would name the prefix itself.
      assert.equal(await redis.command(['EXISTS', prefix]), 0, 'the bare prefix was not written');
      await assertNothingWritten(redis, 'ok', 'h');
    },
  },
  {
    slug: 'non-integer-counts-and-increments',
    name: 'fractional, NaN and out-of-range counts, increments and indexes are refused',
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b', 'c');
      await invalid(redis.incr('n', 1.5), 'incr by 1.5');
      await invalid(redis.incr('n', Number.NaN), 'incr by NaN');
      await invalid(redis.decr('n', Number.POSITIVE_INFINITY), 'decr by Infinity');
      await invalid(redis.incr('n', 2 ** 53), 'incr by 2^53');
      await invalid(redis.hincrBy('h', 'f', 0.5), 'hincrBy 0.5');
      await invalid(redis.lpop('l', 0), 'lpop count 0');
      await invalid(redis.rpop('l', -1), 'rpop count -1');
      await invalid(redis.lpop('l', 1.5), 'lpop count 1.5');
      await invalid(redis.lrange('l', 0.5, 2), 'lrange start 0.5');
      await invalid(redis.ltrim('l', 0, Number.NaN), 'ltrim stop NaN');
      await invalid(
        redis.zrangeByScore('z', 0, 1, { limit: { offset: 0, count: 0 } }),
        'zrangeByScore limit count 0',
      );
      await invalid(
        redis.zrangeByScore('z', 0, 1, { limit: { offset: -1, count: 5 } }),
        'zrangeByScore limit offset -1',
      );
      await invalid(redis.scan({ count: 0 }).next(), 'scan count 0');
      assert.deepEqual(await redis.lrange('l', 0, -1), ['a', 'b', 'c'], 'the list is untouched');
      await assertNothingWritten(redis, 'n', 'h');
    },
  },
  {
    slug: 'conflicting-options',
    name: 'options that exclude each other (nx with xx, gt with lt, ...) are refused and nothing is written',
    async run({ redis }) {
      await invalid(redis.set('k', 'v', { nx: true, xx: true }), 'set nx and xx');
      await invalid(redis.setJson('k', 1, { nx: true, xx: true }), 'setJson nx and xx');
      await invalid(redis.zadd('z', { m: 1 }, { nx: true, xx: true }), 'zadd nx and xx');
      await invalid(redis.zadd('z', { m: 1 }, { gt: true, lt: true }), 'zadd gt and lt');
      await invalid(redis.zadd('z', { m: 1 }, { nx: true, gt: true }), 'zadd nx and gt');
      await invalid(redis.expire('k', 10, { gt: true, lt: true }), 'expire gt and lt');
      await assertNothingWritten(redis, 'k', 'z');
    },
  },
]);
