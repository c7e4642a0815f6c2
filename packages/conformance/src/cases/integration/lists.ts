import assert from 'node:assert/strict';
import { RedisReplyError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';

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
  {
    slug: 'lindex-lset-lrem-linsert',
    name: 'lindex reads by index, lset replaces, lrem removes by count and direction, linsert inserts by pivot',
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b', 'a', 'c', 'a');
      assert.equal(await redis.lindex('l', 0), 'a');
      assert.equal(await redis.lindex('l', -2), 'c');
      assert.equal(await redis.lindex('l', 99), null);
      assert.equal(await redis.lset('l', 1, 'B'), true);
      await rejectsWith(redis.lset('l', 99, 'x'), RedisReplyError, 'lset out of range');
      assert.equal(await redis.lrem('l', -1, 'a'), 1, 'the last a');
      assert.deepEqual(await redis.lrange('l', 0, -1), ['a', 'B', 'a', 'c']);
      assert.equal(await redis.lrem('l', 0, 'a'), 2, 'every a');
      assert.deepEqual(await redis.lrange('l', 0, -1), ['B', 'c']);
      assert.equal(await redis.linsert('l', 'BEFORE', 'c', 'x'), 3);
      assert.equal(await redis.linsert('l', 'AFTER', 'c', 'y'), 4);
      assert.deepEqual(await redis.lrange('l', 0, -1), ['B', 'x', 'c', 'y']);
      assert.equal(await redis.linsert('l', 'AFTER', 'nowhere', 'z'), -1, 'a missing pivot');
      assert.equal(await redis.linsert('missing', 'AFTER', 'c', 'z'), 0, 'a missing list');
    },
  },
  {
    slug: 'lpos-with-rank-count-and-maxlen',
    name: 'lpos finds the first, the nth and all matches, and only within maxlen',
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b', 'c', 'b', 'b');
      assert.equal(await redis.lpos('l', 'b'), 1);
      assert.equal(await redis.lpos('l', 'b', { rank: 2 }), 3);
      assert.equal(await redis.lpos('l', 'b', { rank: -1 }), 4, 'rank -1: the last match');
      assert.equal(await redis.lpos('l', 'z'), null);
      assert.deepEqual(await redis.lpos('l', 'b', { count: 2 }), [1, 3]);
      assert.deepEqual(await redis.lpos('l', 'b', { count: 0 }), [1, 3, 4], 'count 0: all');
      assert.deepEqual(await redis.lpos('l', 'b', { count: 0, rank: -1 }), [4, 3, 1]);
      assert.deepEqual(await redis.lpos('l', 'b', { count: 0, maxlen: 2 }), [1]);
      assert.deepEqual(await redis.lpos('l', 'z', { count: 0 }), []);
      assert.equal(await redis.lpos('missing', 'a'), null);
    },
  },
  {
    slug: 'lmove-between-and-within-lists',
    name: 'lmove pops from one end and pushes onto an end of another list, or rotates one list',
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis }) {
      await redis.rpush('{l}from', 'a', 'b', 'c');
      assert.equal(await redis.lmove('{l}from', '{l}to', 'LEFT', 'RIGHT'), 'a');
      assert.equal(await redis.lmove('{l}from', '{l}to', 'RIGHT', 'LEFT'), 'c');
      assert.deepEqual(await redis.lrange('{l}from', 0, -1), ['b']);
      assert.deepEqual(await redis.lrange('{l}to', 0, -1), ['c', 'a']);
      assert.equal(await redis.lmove('{l}to', '{l}to', 'LEFT', 'RIGHT'), 'c', 'rotation');
      assert.deepEqual(await redis.lrange('{l}to', 0, -1), ['a', 'c']);
      assert.equal(await redis.lmove('{l}missing', '{l}to', 'LEFT', 'LEFT'), null);
    },
  },
]);
