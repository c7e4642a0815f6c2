import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Cases on sets. */
export const setCases: IntegrationCase[] = defineCases('sets', [
  {
    slug: 'sadd-counts-new-members',
    name: 'sadd resolves with how many members were new and smembers lists each member once',
    async run({ redis }) {
      assert.equal(await redis.sadd('s', 'a', 'b', 'a'), 2);
      assert.equal(await redis.sadd('s', 'b', 'c', 3), 2);
      assert.deepEqual((await redis.smembers('s')).sort(), ['3', 'a', 'b', 'c']);
      assert.deepEqual(await redis.smembers('missing'), []);
    },
  },
  {
    slug: 'sismember-scard-srem',
    name: 'sismember and scard reflect the set and srem counts removed members',
    async run({ redis }) {
      await redis.sadd('s', 'a', 'b', 'c');
      assert.equal(await redis.scard('s'), 3);
      assert.equal(await redis.sismember('s', 'a'), true);
      assert.equal(await redis.sismember('s', 'z'), false);
      assert.equal(await redis.srem('s', 'a', 'z'), 1);
      assert.equal(await redis.sismember('s', 'a'), false);
      assert.equal(await redis.scard('s'), 2);
      assert.equal(await redis.scard('missing'), 0);
      assert.equal(await redis.srem('s', 'b', 'c'), 2);
      assert.equal(await redis.exists('s'), 0, 'an empty set is gone');
    },
  },
]);
