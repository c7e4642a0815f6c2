import assert from 'node:assert/strict';
import { RedisSerializationError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { assertExpiresWithin } from './support/expiry.js';
import { rejectsWith } from './support/rejects-with.js';

const nested = {
  id: 7,
  name: 'Zoë 🚀 日本語',
  active: true,
  ratio: -0.125,
  nothing: null,
  tags: ['a', 'b', ''],
  deep: { level: { deeper: { list: [1, [2, [3]], { four: 4 }] } } },
  escapes: 'quote " backslash \\ newline \n tab \t nul \u0000',
};

/** Cases on JSON values stored as strings. */
export const jsonCases: IntegrationCase[] = defineCases('json', [
  {
    slug: 'nested-unicode-round-trip',
    name: 'setJson and getJson round-trip a nested object with unicode and escapes exactly',
    async run({ redis }) {
      assert.equal(await redis.getJson('doc'), null, 'missing key');
      assert.equal(await redis.setJson('doc', nested), true);
      assert.deepEqual(await redis.getJson('doc'), nested);
      assert.equal(await redis.get('doc'), JSON.stringify(nested), 'stored as plain JSON text');
    },
  },
  {
    slug: 'json-primitives-round-trip',
    name: 'strings, numbers, booleans and arrays round-trip as JSON',
    async run({ redis }) {
      const values: Record<string, unknown> = {
        text: 'plain',
        number: 12.5,
        zero: 0,
        yes: true,
        no: false,
        list: [1, 'two', null, { three: 3 }],
        empty: {},
      };
      for (const [key, value] of Object.entries(values)) await redis.setJson(key, value);
      for (const [key, value] of Object.entries(values))
        assert.deepEqual(await redis.getJson(key), value, key);
    },
  },
  {
    slug: 'set-json-with-options',
    name: 'setJson honours ttl and nx like set',
    async run({ redis }) {
      assert.equal(await redis.setJson('doc', { v: 1 }, { ttl: 100 }), true);
      assertExpiresWithin(await redis.pttl('doc'), 100_000, 'setJson ttl');
      assert.equal(await redis.setJson('doc', { v: 2 }, { nx: true }), false);
      assert.deepEqual(await redis.getJson('doc'), { v: 1 });
    },
  },
  {
    slug: 'mset-and-mget-json',
    name: 'msetJson stores a record or pairs and mgetJson reads them in order with null for missing keys',
    async run({ redis }) {
      await redis.msetJson({ a: { n: 1 }, b: ['x', 'ÿ'] });
      await redis.msetJson([['c', nested]]);
      assert.deepEqual(await redis.mgetJson(['b', 'missing', 'a', 'c']), [
        ['x', 'ÿ'],
        null,
        { n: 1 },
        nested,
      ]);
      assert.equal(await redis.pttl('a'), -1, 'no ttl asked, none set');
    },
  },
  {
    slug: 'mset-json-with-ttl',
    name: 'msetJson with a ttl stores every value with that expiry',
    async run({ redis }) {
      await redis.msetJson({ a: 1, b: { two: 2 }, c: 'three' }, { ttl: 100 });
      assert.deepEqual(await redis.mgetJson(['a', 'b', 'c']), [1, { two: 2 }, 'three']);
      for (const key of ['a', 'b', 'c']) assertExpiresWithin(await redis.pttl(key), 100_000, key);
      await redis.msetJson([['d', true]], { ttlMs: 100_000 });
      assertExpiresWithin(await redis.pttl('d'), 100_000, 'd');
    },
  },
  {
    slug: 'non-json-value-is-a-serialization-error',
    name: 'reading a stored value that is not JSON rejects with RedisSerializationError naming the key',
    async run({ redis }) {
      await redis.set('broken', '{not json');
      await redis.setJson('fine', { ok: true });
      const single = await rejectsWith(redis.getJson('broken'), RedisSerializationError, 'getJson');
      assert.equal(single.key, 'broken');
      assert.ok(single.message.includes('broken'), `the message names the key: ${single.message}`);
      const many = await rejectsWith(redis.mgetJson(['fine', 'broken']), RedisSerializationError, 'mgetJson');
      assert.equal(many.key, 'broken');
    },
  },
]);
