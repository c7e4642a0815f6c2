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
