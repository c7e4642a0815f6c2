import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Cases on hashes. */
export const hashCases: IntegrationCase[] = defineCases('hashes', [
  {
    slug: 'hset-and-hget',
    name: 'hset counts added fields (0 on update) and hget reads a field or null',
    async run({ redis }) {
      assert.equal(await redis.hset('h', 'f', 'v1'), 1);
      assert.equal(await redis.hset('h', 'f', 'v2'), 0, 'an update adds no field');
      assert.equal(await redis.hget('h', 'f'), 'v2');
      assert.equal(await redis.hget('h', 'missing'), null);
      assert.equal(await redis.hget('missing', 'f'), null);
      assert.equal(await redis.hset('h', 'n', 7), 1);
      assert.equal(await redis.hget('h', 'n'), '7');
    },
  },
  {
    slug: 'hset-record-and-hgetall',
    name: 'hset with a record sets every field and hgetall reads them back as a record',
    async run({ redis }) {
      assert.equal(await redis.hset('h', { a: '1', b: 2, 'ü 🌍': 'unicode' }), 3);
      assert.equal(await redis.hset('h', { a: 'one', c: '3' }), 1);
      assert.deepEqual(await redis.hgetall('h'), { a: 'one', b: '2', c: '3', 'ü 🌍': 'unicode' });
      assert.deepEqual(await redis.hgetall('missing'), {});
    },
  },
  {
    slug: 'hmget-keeps-order',
    name: 'hmget reads fields in the order asked with null for missing fields',
    async run({ redis }) {
      await redis.hset('h', { a: '1', b: '2' });
      assert.deepEqual(await redis.hmget('h', ['b', 'missing', 'a']), ['2', null, '1']);
      assert.deepEqual(await redis.hmget('missing', ['a', 'b']), [null, null]);
    },
  },
  {
    slug: 'hdel-hexists-hlen-hkeys',
    name: 'hdel counts removed fields and hexists, hlen and hkeys reflect the hash',
    async run({ redis }) {
      await redis.hset('h', { a: '1', b: '2', c: '3' });
      assert.equal(await redis.hlen('h'), 3);
      assert.deepEqual((await redis.hkeys('h')).sort(), ['a', 'b', 'c']);
      assert.equal(await redis.hexists('h', 'a'), true);
      assert.equal(await redis.hdel('h', 'a', 'b', 'missing'), 2);
      assert.equal(await redis.hexists('h', 'a'), false);
      assert.equal(await redis.hlen('h'), 1);
      assert.deepEqual(await redis.hkeys('h'), ['c']);
      assert.equal(await redis.hdel('h', 'c'), 1);
      assert.equal(await redis.exists('h'), 0, 'a hash without fields is gone');
      assert.equal(await redis.hlen('h'), 0);
      assert.deepEqual(await redis.hkeys('h'), []);
    },
  },
  {
    slug: 'hincrby-returns-numbers',
    name: 'hincrBy adds to a field (missing counts as 0) and resolves with the new number',
    async run({ redis }) {
      assert.strictEqual(await redis.hincrBy('h', 'n', 5), 5);
      assert.strictEqual(await redis.hincrBy('h', 'n', -7), -2);
      assert.equal(await redis.hget('h', 'n'), '-2');
    },
  },
]);
