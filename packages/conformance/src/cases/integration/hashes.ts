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
  {
    slug: 'hsetnx-hvals-hstrlen',
    name: 'hsetnx sets only a new field, hvals lists the values and hstrlen counts bytes',
    async run({ redis }) {
      assert.equal(await redis.hsetnx('h', 'a', 'ü'), true);
      assert.equal(await redis.hsetnx('h', 'a', 'other'), false);
      assert.equal(await redis.hget('h', 'a'), 'ü');
      await redis.hset('h', { b: 2 });
      assert.deepEqual((await redis.hvals('h')).sort(), ['2', 'ü']);
      assert.equal(await redis.hstrlen('h', 'a'), 2, 'ü is two bytes');
      assert.equal(await redis.hstrlen('h', 'missing'), 0);
      assert.deepEqual(await redis.hvals('missing'), []);
    },
  },
  {
    slug: 'hincrbyfloat-returns-numbers',
    name: 'hincrByFloat adds to a field (a missing one counts as 0) and resolves with a number',
    async run({ redis }) {
      assert.strictEqual(await redis.hincrByFloat('h', 'f', 1.5), 1.5);
      assert.strictEqual(await redis.hincrByFloat('h', 'f', -0.25), 1.25);
      assert.equal(await redis.hget('h', 'f'), '1.25');
    },
  },
  {
    slug: 'hrandfield-counts-and-values',
    name: 'hrandfield picks distinct fields for a positive count, repeats for a negative one, and pairs values when asked',
    async run({ redis }) {
      const hash = { a: '1', b: '2', c: '3' };
      await redis.hset('h', hash);
      const one = await redis.hrandfield('h');
      assert.ok(one !== null && one in hash, `a field of the hash: ${one}`);
      assert.equal(await redis.hrandfield('missing'), null);
      const distinct = await redis.hrandfield('h', 5);
      assert.deepEqual([...distinct].sort(), ['a', 'b', 'c'], 'at most every field, once each');
      const repeated = await redis.hrandfield('h', -7);
      assert.equal(repeated.length, 7);
      for (const field of repeated) assert.ok(field in hash);
      const withValues = await redis.hrandfield('h', 2, { withValues: true });
      assert.equal(withValues.length, 2);
      for (const { field, value } of withValues) assert.equal(value, hash[field as keyof typeof hash]);
      assert.deepEqual(await redis.hrandfield('missing', 3), []);
    },
  },
  {
    slug: 'hscan-yields-every-field',
    name: 'hscan iterates over every field and value of a large hash, and filters fields by pattern',
    async run({ redis }) {
      const fields: Record<string, string> = {};
      for (let i = 0; i < 300; i++) fields[`f${i}`] = `v${i}`;
      fields.other = 'x';
      await redis.hset('h', fields);
      const seen = new Map<string, string>();
      for await (const { field, value } of redis.hscan('h', { count: 10 })) seen.set(field, value);
      assert.equal(seen.size, 301);
      for (const [field, value] of Object.entries(fields)) assert.equal(seen.get(field), value, field);
      const matched = new Set<string>();
      for await (const { field } of redis.hscan('h', { match: 'f1?' })) matched.add(field);
      assert.deepEqual([...matched].sort(), Array.from({ length: 10 }, (_, i) => `f1${i}`).sort());
      for await (const item of redis.hscan('missing')) assert.fail(`a missing hash yielded ${item.field}`);
    },
  },
]);
