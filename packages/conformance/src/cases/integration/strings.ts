import assert from 'node:assert/strict';
import { RedisReplyError, RedisSerializationError, RedisUnsafeIntegerError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { assertExpiresWithin } from './support/expiry.js';
import { rejectsWith } from './support/rejects-with.js';

/** 2^53 + 1: the smallest positive integer a JS number cannot hold. */
const BEYOND_SAFE = '9007199254740993';

/** Cases on string values: GET/SET and their options, counters, MGET/MSET, integer edges. */
export const stringCases: IntegrationCase[] = defineCases('strings', [
  {
    slug: 'set-and-get',
    name: 'set stores a value that get reads back, and get of a missing key is null',
    async run({ redis }) {
      assert.equal(await redis.get('k'), null);
      assert.equal(await redis.set('k', 'hello'), true);
      assert.equal(await redis.get('k'), 'hello');
      assert.equal(await redis.set('k', 'again'), true);
      assert.equal(await redis.get('k'), 'again');
      assert.equal(await redis.set('n', 42), true);
      assert.equal(await redis.get('n'), '42');
      assert.equal(await redis.set('f', -1.5), true);
      assert.equal(await redis.get('f'), '-1.5');
    },
  },
  {
    slug: 'empty-and-unicode-values',
    name: 'an empty string and unicode text (emoji, CJK, combining marks) round-trip exactly',
    async run({ redis }) {
      const text = 'héllo wörld – 世界 🌍👩‍👩‍👧 e\u0301 \u0000 \r\n end';
      await redis.set('empty', '');
      await redis.set('unicode', text);
      assert.equal(await redis.get('empty'), '');
      assert.equal(await redis.exists('empty'), 1);
      assert.equal(await redis.get('unicode'), text);
      assert.deepEqual(await redis.mget(['unicode', 'empty']), [text, '']);
    },
  },
  {
    slug: 'set-nx-and-xx',
    name: 'set with nx or xx resolves false and writes nothing when the condition prevents it',
    async run({ redis }) {
      assert.equal(await redis.set('k', 'first', { nx: true }), true, 'nx on a missing key');
      assert.equal(await redis.set('k', 'second', { nx: true }), false, 'nx on an existing key');
      assert.equal(await redis.get('k'), 'first');
      assert.equal(await redis.set('missing', 'v', { xx: true }), false, 'xx on a missing key');
      assert.equal(await redis.exists('missing'), 0);
      assert.equal(await redis.set('k', 'third', { xx: true }), true, 'xx on an existing key');
      assert.equal(await redis.get('k'), 'third');
    },
  },
  {
    slug: 'set-with-ttl-sets-an-expiry',
    name: 'set with ttl (seconds) or ttlMs gives the key an expiry no longer than asked',
    async run({ redis }) {
      await redis.set('seconds', 'v', { ttl: 100 });
      assertExpiresWithin(await redis.pttl('seconds'), 100_000, 'ttl: 100');
      await redis.set('millis', 'v', { ttlMs: 100_000 });
      assertExpiresWithin(await redis.pttl('millis'), 100_000, 'ttlMs: 100000');
      await redis.set('seconds', 'v2');
      assert.equal(await redis.pttl('seconds'), -1, 'a plain set clears the expiry');
    },
  },
  {
    slug: 'set-with-ttl-expires',
    name: 'a value set with ttlMs 200 expires',
    async run({ redis }) {
      await redis.set('k', 'v', { ttlMs: 200 });
      const pttl = await redis.pttl('k');
      // A slow machine may already have let it expire (-2); a live key must carry the expiry.
      assert.ok(pttl === -2 || (pttl > 0 && pttl <= 200), `pttl right after set: ${pttl}`);
      await eventually(async () => (await redis.get('k')) === null, 'the key expires');
      assert.equal(await redis.exists('k'), 0);
    },
  },
  {
    slug: 'keep-ttl-keeps-the-expiry',
    name: 'set with keepTtl replaces the value and keeps the expiry',
    async run({ redis }) {
      await redis.set('k', 'v1', { ttl: 100 });
      assert.equal(await redis.set('k', 'v2', { keepTtl: true }), true);
      assert.equal(await redis.get('k'), 'v2');
      assertExpiresWithin(await redis.pttl('k'), 100_000, 'after keepTtl');
      await redis.set('k', 'v3');
      assert.equal(await redis.pttl('k'), -1);
    },
  },
  {
    slug: 'incr-returns-numbers',
    name: 'incr and decr (by 1 or by n) resolve with the new value as a number',
    async run({ redis }) {
      assert.strictEqual(await redis.incr('n'), 1, 'incr of a missing key');
      assert.strictEqual(await redis.incr('n', 5), 6);
      assert.strictEqual(await redis.decr('n'), 5);
      assert.strictEqual(await redis.decr('n', 10), -5);
      assert.strictEqual(await redis.incr('n', -5), -10);
      assert.equal(await redis.get('n'), '-10');
      await redis.set('m', 41);
      assert.strictEqual(await redis.incr('m'), 42);
    },
  },
  {
    slug: 'mset-and-mget',
    name: 'mset stores a record or pairs and mget reads values in order with null for missing keys',
    async run({ redis }) {
      assert.equal(await redis.mset({ a: '1', b: 2 }), true);
      assert.equal(
        await redis.mset([
          ['c', 'three'],
          ['a', 'one'],
        ]),
        true,
      );
      assert.deepEqual(await redis.mget(['a', 'missing', 'b', 'c']), ['one', null, '2', 'three']);
      assert.deepEqual(await redis.mget(['missing']), [null]);
    },
  },
  {
    slug: 'incr-of-text-is-an-err-reply',
    name: 'incr of a non-integer value rejects with a RedisReplyError whose message starts with ERR',
    async run({ redis }) {
      await redis.set('k', 'not a number');
      const error = await rejectsWith(redis.incr('k'), RedisReplyError, 'incr of text');
      assert.ok(error.message.startsWith('ERR'), `message: ${error.message}`);
      assert.equal(error.prefix, 'ERR');
      assert.equal(await redis.get('k'), 'not a number');
    },
  },
  {
    slug: 'safe-integer-reply-is-a-number',
    name: 'an integer reply up to 2^53 - 1 arrives as a number through command(), never a bigint',
    async run({ redis, prefix }) {
      assert.strictEqual(
        await redis.command(['INCRBY', `${prefix}small`, '7']),
        7,
        'a safe integer is a number',
      );
      assert.strictEqual(
        await redis.command(['INCRBY', `${prefix}max`, String(Number.MAX_SAFE_INTEGER)]),
        Number.MAX_SAFE_INTEGER,
      );
      assert.strictEqual(
        await redis.command(['DECRBY', `${prefix}min`, String(Number.MAX_SAFE_INTEGER)]),
        Number.MIN_SAFE_INTEGER,
      );
    },
  },
  {
    slug: 'big-integer-reply-is-an-exact-bigint',
    name: 'an integer reply beyond 2^53 arrives as an exact bigint through command()',
    requires: ['exactIntegers'],
    async run({ redis, prefix }) {
      assert.strictEqual(await redis.command(['INCRBY', `${prefix}big`, BEYOND_SAFE]), 9007199254740993n);
      assert.strictEqual(await redis.command(['DECRBY', `${prefix}neg`, BEYOND_SAFE]), -9007199254740993n);
      await redis.command(['SET', `${prefix}max`, String(Number.MAX_SAFE_INTEGER)]);
      assert.strictEqual(await redis.command(['INCR', `${prefix}max`]), 9007199254740992n, '2^53 itself');
    },
  },
  {
    slug: 'incr-beyond-safe-integers-is-a-serialization-error',
    name: 'incr that yields an integer beyond 2^53 rejects with RedisSerializationError, never a wrong number',
    async run({ redis }) {
      await redis.set('k', '9007199254740992');
      await rejectsWith(redis.incr('k'), RedisSerializationError, 'incr to 2^53 + 1');
      // The server did increment; only the typed decoding refuses to round it.
      assert.equal(await redis.get('k'), BEYOND_SAFE);
    },
  },
  {
    slug: 'getdel-reads-and-deletes',
    name: 'getdel resolves with the value and deletes the key, or null for a missing key',
    async run({ redis }) {
      await redis.set('k', 'v');
      assert.equal(await redis.getdel('k'), 'v');
      assert.equal(await redis.exists('k'), 0);
      assert.equal(await redis.getdel('k'), null);
    },
  },
  {
    slug: 'getex-changes-the-expiry',
    name: 'getex reads the value and sets a TTL, a point in time, or persists it',
    async run({ redis }) {
      await redis.set('k', 'v');
      assert.equal(await redis.getex('k'), 'v', 'without options it reads like get');
      assert.equal(await redis.ttl('k'), -1);
      assert.equal(await redis.getex('k', { ttlMs: 50_000 }), 'v');
      assertExpiresWithin(await redis.pttl('k'), 50_000, 'after getex ttlMs');
      assert.equal(await redis.getex('k', { persist: true }), 'v');
      assert.equal(await redis.ttl('k'), -1, 'persist removed the expiry');
      const at = new Date(Date.now() + 3_600_000);
      assert.equal(await redis.getex('k', { expireAt: at }), 'v');
      assert.equal(await redis.expiretime('k'), Math.floor(at.getTime() / 1000));
      assert.equal(await redis.getex('k', { expireAtMs: at.getTime() }), 'v');
      assert.equal(await redis.pexpiretime('k'), at.getTime());
      assert.equal(await redis.getex('missing', { ttl: 10 }), null);
      assert.equal(await redis.exists('missing'), 0);
    },
  },
  {
    slug: 'getrange-setrange-append-strlen',
    name: 'getrange, setrange, append and strlen count bytes, pad with zero bytes and create missing keys',
    async run({ redis }) {
      await redis.set('k', 'héllo');
      assert.equal(await redis.strlen('k'), 6, 'é is two bytes');
      assert.equal(await redis.getrange('k', 0, 0), 'h');
      assert.equal(await redis.getrange('k', -3, -1), 'llo');
      assert.equal(await redis.getrange('k', 10, 20), '');
      assert.equal(await redis.getrange('missing', 0, -1), '');
      assert.equal(await redis.append('k', ' wörld'), 13);
      assert.equal(await redis.get('k'), 'héllo wörld');
      assert.equal(await redis.append('new', 'abc'), 3, 'append creates the key');
      assert.equal(await redis.setrange('k', 0, 'H'), 13);
      assert.equal(await redis.get('k'), 'Héllo wörld');
      assert.equal(await redis.setrange('padded', 3, 'x'), 4);
      assert.equal(await redis.get('padded'), '\u0000\u0000\u0000x', 'zero bytes before the offset');
      assert.equal(await redis.strlen('missing'), 0);
    },
  },
  {
    slug: 'incr-by-float',
    name: 'incrByFloat adds to a number as Redis computes it and resolves with a number',
    async run({ redis }) {
      assert.strictEqual(await redis.incrByFloat('f', 0.1), 0.1);
      assert.strictEqual(await redis.incrByFloat('f', 0.1), 0.2);
      assert.strictEqual(
        await redis.incrByFloat('f', 0.1),
        0.3,
        'Redis rounds to 17 digits: 0.3, not 0.30000000000000004',
      );
      assert.strictEqual(await redis.incrByFloat('f', -10), -9.7);
      await redis.set('i', '10');
      assert.strictEqual(await redis.incrByFloat('i', 2.5e3), 2510);
      assert.equal(await redis.get('i'), '2510');
      await redis.set('text', 'abc');
      const error = await rejectsWith(redis.incrByFloat('text', 1), RedisReplyError, 'incrByFloat of text');
      assert.equal(error.prefix, 'ERR');
    },
  },
  {
    slug: 'counters-beyond-safe-integers-say-applied',
    name: 'incr, incr by n, decr and hincrBy that land beyond ±2^53 reject with RedisUnsafeIntegerError saying the write was applied and carrying the exact bigint',
    requires: ['exactIntegers'],
    async run({ redis }) {
      const applied = async (promise: Promise<number>, expected: bigint, what: string) => {
        const error = await rejectsWith(promise, RedisUnsafeIntegerError, what);
        assert.equal(error.applied, true, `${what}: the error says the write was applied`);
        assert.strictEqual(error.value, expected, `${what}: the exact value`);
      };
      await redis.set('n', String(Number.MAX_SAFE_INTEGER));
      await applied(redis.incr('n'), 9007199254740992n, 'incr to 2^53');
      await applied(redis.incr('n', 5), 9007199254740997n, 'incr by 5');
      assert.equal(await redis.get('n'), '9007199254740997', 'each increment happened once');
      await redis.set('m', String(Number.MIN_SAFE_INTEGER));
      await applied(redis.decr('m'), -9007199254740992n, 'decr to -2^53');
      await redis.hset('h', 'f', String(Number.MAX_SAFE_INTEGER));
      await applied(redis.hincrBy('h', 'f', 2), 9007199254740993n, 'hincrBy to 2^53 + 2');
      assert.equal(await redis.hget('h', 'f'), '9007199254740993');
    },
  },
]);
