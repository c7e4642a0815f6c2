import assert from 'node:assert/strict';
import type { RedisService } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** a=1, b=2, c=2.5, d=3, e=10 */
async function fiveMembers(redis: RedisService): Promise<void> {
  await redis.zadd('z', { a: 1, b: 2, c: 2.5, d: 3, e: 10 });
}

/** Cases on sorted sets: ZADD and its flags, scores, ranks and the ranges by rank and by score. */
export const sortedSetCases: IntegrationCase[] = defineCases('sorted-sets', [
  {
    slug: 'zadd-and-zscore',
    name: 'zadd counts added members and zscore reads a score as a number, or null when missing',
    async run({ redis }) {
      assert.equal(await redis.zadd('z', { a: 1, b: 2.5 }), 2);
      assert.equal(
        await redis.zadd('z', [
          { member: 'c', score: -3 },
          { member: 'a', score: 4 },
        ]),
        1,
        'an update is not counted',
      );
      assert.strictEqual(await redis.zscore('z', 'a'), 4);
      assert.strictEqual(await redis.zscore('z', 'b'), 2.5);
      assert.strictEqual(await redis.zscore('z', 'c'), -3);
      assert.equal(await redis.zscore('z', 'missing'), null);
      assert.equal(await redis.zscore('missing', 'a'), null);
      assert.equal(await redis.zcard('z'), 3);
      assert.equal(await redis.zcard('missing'), 0);
      assert.equal(await redis.zrem('z', 'a', 'missing'), 1);
      assert.equal(await redis.zcard('z'), 2);
    },
  },
  {
    slug: 'zadd-nx-and-xx',
    name: 'zadd with nx only adds new members and with xx only updates existing ones',
    async run({ redis }) {
      await redis.zadd('z', { a: 1 });
      assert.equal(await redis.zadd('z', { a: 5, b: 2 }, { nx: true }), 1);
      assert.equal(await redis.zscore('z', 'a'), 1, 'nx must not update');
      assert.equal(await redis.zscore('z', 'b'), 2);
      assert.equal(await redis.zadd('z', { a: 7, c: 3 }, { xx: true }), 0);
      assert.equal(await redis.zscore('z', 'a'), 7, 'xx updates');
      assert.equal(await redis.zscore('z', 'c'), null, 'xx must not add');
    },
  },
  {
    slug: 'zadd-gt-lt-and-ch',
    name: 'zadd with gt or lt updates only toward that direction and ch counts changed members',
    async run({ redis }) {
      await redis.zadd('z', { a: 5, b: 5 });
      assert.equal(await redis.zadd('z', { a: 3, b: 8 }, { gt: true, ch: true }), 1, 'gt + ch');
      assert.equal(await redis.zscore('z', 'a'), 5);
      assert.equal(await redis.zscore('z', 'b'), 8);
      assert.equal(await redis.zadd('z', { a: 3, b: 9 }, { lt: true, ch: true }), 1, 'lt + ch');
      assert.equal(await redis.zscore('z', 'a'), 3);
      assert.equal(await redis.zscore('z', 'b'), 8);
      assert.equal(await redis.zadd('z', { a: 4, c: 1 }, { ch: true }), 2, 'ch counts added and updated');
      assert.equal(await redis.zadd('z', { a: 4 }, { ch: true }), 0, 'the same score is no change');
      assert.equal(await redis.zadd('z', { d: 1 }, { gt: true }), 1, 'gt still adds new members');
    },
  },
  {
    slug: 'zincrby-returns-the-new-score',
    name: 'zincrBy adds to a score (a missing member starts at 0) and resolves with the new score',
    async run({ redis }) {
      assert.strictEqual(await redis.zincrBy('z', 2.5, 'a'), 2.5);
      assert.strictEqual(await redis.zincrBy('z', -4, 'a'), -1.5);
      assert.strictEqual(await redis.zscore('z', 'a'), -1.5);
    },
  },
  {
    slug: 'zrank',
    name: 'zrank resolves with the rank by ascending score, or null for a missing member',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.strictEqual(await redis.zrank('z', 'a'), 0);
      assert.strictEqual(await redis.zrank('z', 'e'), 4);
      assert.equal(await redis.zrank('z', 'missing'), null);
      assert.equal(await redis.zrank('missing', 'a'), null);
    },
  },
  {
    slug: 'zrange-by-rank',
    name: 'zrange reads by rank, with negative indexes, with scores and reversed',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.deepEqual(await redis.zrange('z', 0, -1), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(await redis.zrange('z', 1, 2), ['b', 'c']);
      assert.deepEqual(await redis.zrange('z', -2, -1), ['d', 'e']);
      assert.deepEqual(await redis.zrange('z', 0, 1, { rev: true }), ['e', 'd']);
      assert.deepEqual(await redis.zrange('z', 0, 1, { withScores: true }), [
        { member: 'a', score: 1 },
        { member: 'b', score: 2 },
      ]);
      assert.deepEqual(await redis.zrange('z', 0, 2, { rev: true, withScores: true }), [
        { member: 'e', score: 10 },
        { member: 'd', score: 3 },
        { member: 'c', score: 2.5 },
      ]);
      assert.deepEqual(await redis.zrange('z', 10, 20), []);
      assert.deepEqual(await redis.zrange('missing', 0, -1), []);
    },
  },
  {
    slug: 'zrange-by-score-bounds',
    name: 'zrangeByScore honours inclusive and exclusive bounds and ±Infinity',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.deepEqual(await redis.zrangeByScore('z', 2, 3), ['b', 'c', 'd']);
      assert.deepEqual(
        await redis.zrangeByScore('z', { value: 2, exclusive: true }, { value: 3, exclusive: true }),
        ['c'],
      );
      assert.deepEqual(await redis.zrangeByScore('z', { value: 2, exclusive: false }, 2.5), ['b', 'c']);
      assert.deepEqual(await redis.zrangeByScore('z', Number.NEGATIVE_INFINITY, 2), ['a', 'b']);
      assert.deepEqual(await redis.zrangeByScore('z', 3, Number.POSITIVE_INFINITY), ['d', 'e']);
      assert.deepEqual(await redis.zrangeByScore('z', Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY), [
        'a',
        'b',
        'c',
        'd',
        'e',
      ]);
      assert.deepEqual(await redis.zrangeByScore('z', 4, 9), []);
      assert.deepEqual(await redis.zrangeByScore('z', 3, 2), [], 'min above max');
    },
  },
  {
    slug: 'zrange-by-score-limit-rev-and-scores',
    name: 'zrangeByScore applies limit, rev and withScores, together and alone',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.deepEqual(await redis.zrangeByScore('z', 1, 10, { limit: { offset: 1, count: 2 } }), ['b', 'c']);
      assert.deepEqual(await redis.zrangeByScore('z', 1, 3, { rev: true }), ['d', 'c', 'b', 'a']);
      assert.deepEqual(
        await redis.zrangeByScore('z', { value: 1, exclusive: true }, 10, {
          rev: true,
          limit: { offset: 1, count: 2 },
          withScores: true,
        }),
        [
          { member: 'd', score: 3 },
          { member: 'c', score: 2.5 },
        ],
      );
      assert.deepEqual(await redis.zrangeByScore('z', 2, 3, { withScores: true }), [
        { member: 'b', score: 2 },
        { member: 'c', score: 2.5 },
        { member: 'd', score: 3 },
      ]);
      assert.deepEqual(await redis.zrangeByScore('z', 0, 100, { limit: { offset: 10, count: 5 } }), []);
    },
  },
  {
    slug: 'infinite-scores-read-as-infinity',
    name: 'a score of +inf or -inf stored by the server reads back as ±Infinity',
    async run({ redis, prefix }) {
      await redis.command(['ZADD', `${prefix}z`, '+inf', 'top', '-inf', 'bottom', '0', 'mid']);
      assert.strictEqual(await redis.zscore('z', 'top'), Number.POSITIVE_INFINITY);
      assert.strictEqual(await redis.zscore('z', 'bottom'), Number.NEGATIVE_INFINITY);
      assert.deepEqual(await redis.zrange('z', 0, -1, { withScores: true }), [
        { member: 'bottom', score: Number.NEGATIVE_INFINITY },
        { member: 'mid', score: 0 },
        { member: 'top', score: Number.POSITIVE_INFINITY },
      ]);
      assert.deepEqual(
        await redis.zrangeByScore('z', { value: 0, exclusive: true }, Number.POSITIVE_INFINITY),
        ['top'],
      );
    },
  },
  {
    slug: 'zcount-zrevrank-zmscore',
    name: 'zcount counts by score bounds, zrevrank ranks from the top and zmscore reads scores with nulls',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.equal(await redis.zcount('z', 2, 3), 3);
      assert.equal(await redis.zcount('z', { value: 2, exclusive: true }, Number.POSITIVE_INFINITY), 3);
      assert.equal(await redis.zcount('z', Number.NEGATIVE_INFINITY, { value: 1, exclusive: true }), 0);
      assert.equal(await redis.zcount('missing', 0, 10), 0);
      assert.strictEqual(await redis.zrevrank('z', 'e'), 0);
      assert.strictEqual(await redis.zrevrank('z', 'a'), 4);
      assert.equal(await redis.zrevrank('z', 'missing'), null);
      assert.deepEqual(await redis.zmscore('z', 'c', 'missing', 'e'), [2.5, null, 10]);
      assert.deepEqual(await redis.zmscore('missing', 'a'), [null]);
    },
  },
  {
    slug: 'zpopmin-and-zpopmax',
    name: 'zpopmin and zpopmax remove the lowest and highest members with their scores',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.deepEqual(await redis.zpopmin('z'), { member: 'a', score: 1 });
      assert.deepEqual(await redis.zpopmax('z'), { member: 'e', score: 10 });
      assert.deepEqual(await redis.zpopmin('z', 2), [
        { member: 'b', score: 2 },
        { member: 'c', score: 2.5 },
      ]);
      assert.deepEqual(await redis.zpopmax('z', 5), [{ member: 'd', score: 3 }]);
      assert.equal(await redis.zpopmin('z'), null, 'an empty set');
      assert.deepEqual(await redis.zpopmax('z', 2), []);
      assert.equal(await redis.exists('z'), 0);
    },
  },
  {
    slug: 'zremrange-by-score-and-rank',
    name: 'zremRangeByScore and zremRangeByRank remove ranges and resolve with how many went',
    async run({ redis }) {
      await fiveMembers(redis);
      assert.equal(await redis.zremRangeByScore('z', { value: 2, exclusive: true }, 3), 2);
      assert.deepEqual(await redis.zrange('z', 0, -1), ['a', 'b', 'e']);
      assert.equal(await redis.zremRangeByRank('z', -1, -1), 1, 'the highest');
      assert.deepEqual(await redis.zrange('z', 0, -1), ['a', 'b']);
      assert.equal(await redis.zremRangeByScore('z', 100, Number.POSITIVE_INFINITY), 0);
      assert.equal(await redis.zremRangeByRank('missing', 0, -1), 0);
    },
  },
  {
    slug: 'zrange-by-lex',
    name: 'zrangeByLex reads members of equal score between inclusive, exclusive and open bounds',
    async run({ redis }) {
      await redis.zadd('z', { a: 0, b: 0, c: 0, d: 0, e: 0, '-': 0 });
      assert.deepEqual(await redis.zrangeByLex('z', 'b', 'd'), ['b', 'c', 'd']);
      assert.deepEqual(await redis.zrangeByLex('z', { value: 'b', exclusive: true }, 'd'), ['c', 'd']);
      assert.deepEqual(await redis.zrangeByLex('z', 'c', '+'), ['c', 'd', 'e']);
      assert.deepEqual(await redis.zrangeByLex('z', '-', { value: 'b', exclusive: true }), ['-', 'a']);
      assert.deepEqual(
        await redis.zrangeByLex('z', { value: '-' }, { value: '-' }),
        ['-'],
        'a member named -',
      );
      assert.deepEqual(
        await redis.zrangeByLex('z', '-', '+', { rev: true, limit: { offset: 1, count: 2 } }),
        ['d', 'c'],
      );
    },
  },
  {
    slug: 'zunion-and-zinter',
    name: 'zunion and zinter combine scores with weights and aggregate, and their Store forms write the result',
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis }) {
      await redis.zadd('{z}a', { x: 1, y: 2 });
      await redis.zadd('{z}b', { y: 10, z: 20 });
      assert.deepEqual(await redis.zunion(['{z}a', '{z}b']), ['x', 'y', 'z']);
      assert.deepEqual(await redis.zunion(['{z}a', '{z}b'], { withScores: true }), [
        { member: 'x', score: 1 },
        { member: 'y', score: 12 },
        { member: 'z', score: 20 },
      ]);
      assert.deepEqual(await redis.zinter(['{z}a', '{z}b'], { withScores: true, aggregate: 'max' }), [
        { member: 'y', score: 10 },
      ]);
      assert.deepEqual(await redis.zinter(['{z}a', '{z}b'], { weights: [3, 0.5], withScores: true }), [
        { member: 'y', score: 11 },
      ]);
      assert.deepEqual(await redis.zinter(['{z}a', '{z}missing']), []);
      assert.equal(await redis.zunionStore('{z}u', ['{z}a', '{z}b'], { aggregate: 'min' }), 3);
      assert.equal(await redis.zscore('{z}u', 'y'), 2);
      assert.equal(await redis.zinterStore('{z}i', ['{z}a', '{z}b'], { weights: [1, 2] }), 1);
      assert.equal(await redis.zscore('{z}i', 'y'), 22);
    },
  },
  {
    slug: 'zscan-yields-every-member',
    name: 'zscan iterates over every member of a large sorted set with its score, and filters by pattern',
    async run({ redis }) {
      const members: Record<string, number> = {};
      for (let i = 0; i < 300; i++) members[`m${i}`] = i / 2;
      await redis.zadd('z', members);
      const seen = new Map<string, number>();
      for await (const { member, score } of redis.zscan('z', { count: 10 })) seen.set(member, score);
      assert.equal(seen.size, 300);
      for (const [member, score] of Object.entries(members))
        assert.strictEqual(seen.get(member), score, member);
      const matched = new Set<string>();
      for await (const { member } of redis.zscan('z', { match: 'm29?' })) matched.add(member);
      assert.deepEqual([...matched].sort(), Array.from({ length: 10 }, (_, i) => `m29${i}`).sort());
    },
  },
]);
