import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Cases on lists. */
export const listCases: IntegrationCase[] = defineCases('lists', [
  {
    slug: 'push-keeps-order',
    name: 'lpush puts the last value first, rpush appends, and both resolve with the new length',
    async run({ redis }) {
      assert.equal(await redis.lpush('l', 'a', 'b', 'c'), 3);
      assert.deepEqual(await redis.lrange('l', 0, -1), ['c', 'b', 'a']);
      assert.equal(await redis.rpush('l', 'd', 5), 5);
      assert.deepEqual(await redis.lrange('l', 0, -1), ['c', 'b', 'a', 'd', '5']);
      assert.equal(await redis.llen('l'), 5);
      assert.equal(await redis.llen('missing'), 0);
    },
  },
  {
    slug: 'pop-one',
    name: 'lpop and rpop remove one element from either end, and null when the list is empty or missing',
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b');
      assert.equal(await redis.lpop('l'), 'a');
      assert.equal(await redis.rpop('l'), 'b');
      assert.equal(await redis.lpop('l'), null);
      assert.equal(await redis.rpop('l'), null);
      assert.equal(await redis.lpop('missing'), null);
    },
  },
  {
    slug: 'pop-with-count',
    name: 'lpop and rpop with a count resolve with up to count elements, and null for an empty list',
    async run({ redis }) {
      await redis.rpush('l', '1', '2', '3', '4', '5');
      assert.deepEqual(await redis.lpop('l', 2), ['1', '2']);
      assert.deepEqual(await redis.rpop('l', 2), ['5', '4']);
      assert.deepEqual(await redis.lpop('l', 10), ['3'], 'a count beyond the length');
      assert.equal(await redis.lpop('l', 1), null);
      assert.equal(await redis.rpop('missing', 3), null);
    },
  },
  {
    slug: 'lrange-with-negative-indexes',
    name: 'lrange counts negative indexes from the end and returns [] for a range outside the list',
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b', 'c', 'd', 'e');
      assert.deepEqual(await redis.lrange('l', -3, -1), ['c', 'd', 'e']);
      assert.deepEqual(await redis.lrange('l', 0, -2), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await redis.lrange('l', 1, 2), ['b', 'c']);
      assert.deepEqual(await redis.lrange('l', -100, 100), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(await redis.lrange('l', 10, 20), []);
      assert.deepEqual(await redis.lrange('l', 3, 1), []);
      assert.deepEqual(await redis.lrange('missing', 0, -1), []);
    },
  },
  {
    slug: 'ltrim-keeps-a-range',
    name: 'ltrim keeps only the given range, negative indexes included',
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b', 'c', 'd', 'e');
      assert.equal(await redis.ltrim('l', 1, -2), true);
      assert.deepEqual(await redis.lrange('l', 0, -1), ['b', 'c', 'd']);
      assert.equal(await redis.ltrim('l', 5, 10), true);
      assert.equal(await redis.exists('l'), 0, 'trimming everything removes the list');
    },
  },
]);
