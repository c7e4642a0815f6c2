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
  {
    slug: 'set-algebra-and-store',
    name: 'sinter, sunion and sdiff combine sets of the service, and their Store forms write the result',
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis, prefix }) {
      await redis.sadd('{s}a', 'x', 'y', 'z');
      await redis.sadd('{s}b', 'y', 'z', 'w');
      assert.deepEqual((await redis.sinter('{s}a', '{s}b')).sort(), ['y', 'z']);
      assert.deepEqual((await redis.sunion('{s}a', '{s}b')).sort(), ['w', 'x', 'y', 'z']);
      assert.deepEqual((await redis.sdiff('{s}a', '{s}b')).sort(), ['x']);
      assert.deepEqual(await redis.sinter('{s}a', '{s}missing'), [], 'a missing key is an empty set');
      assert.deepEqual((await redis.sdiff('{s}a', '{s}missing')).sort(), ['x', 'y', 'z']);
      assert.equal(await redis.sinterStore('{s}i', '{s}a', '{s}b'), 2);
      assert.equal(await redis.sunionStore('{s}u', '{s}a', '{s}b'), 4);
      assert.equal(await redis.sdiffStore('{s}d', '{s}a', '{s}b'), 1);
      assert.deepEqual((await redis.smembers('{s}i')).sort(), ['y', 'z']);
      assert.equal(await redis.scard('{s}u'), 4);
      assert.deepEqual(
        await redis.command(['SMEMBERS', `${prefix}{s}d`]),
        ['x'],
        'the destination has the prefix',
      );
      assert.equal(await redis.sinterStore('{s}d', '{s}a', '{s}missing'), 0);
      assert.equal(await redis.exists('{s}d'), 0, 'an empty result deletes the destination');
    },
  },
  {
    slug: 'smismember-spop-srandmember-smove',
    name: 'smismember answers per member, spop removes, srandmember only picks, smove moves one member',
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis }) {
      await redis.sadd('s', 'a', 'b', 'c');
      assert.deepEqual(await redis.smismember('s', 'a', 'z', 'c'), [true, false, true]);
      assert.deepEqual(await redis.smismember('missing', 'a'), [false]);
      const one = await redis.srandmember('s');
      assert.ok(one !== null && ['a', 'b', 'c'].includes(one));
      assert.deepEqual((await redis.srandmember('s', 10)).sort(), ['a', 'b', 'c']);
      const repeated = await redis.srandmember('s', -5);
      assert.equal(repeated.length, 5);
      assert.equal(await redis.scard('s'), 3, 'srandmember removes nothing');
      assert.equal(await redis.srandmember('missing'), null);
      const popped = await redis.spop('s');
      assert.ok(popped !== null && ['a', 'b', 'c'].includes(popped));
      assert.equal(await redis.scard('s'), 2);
      const rest = await redis.spop('s', 5);
      assert.equal(rest.length, 2);
      assert.deepEqual([popped, ...rest].sort(), ['a', 'b', 'c']);
      assert.equal(await redis.spop('s'), null);
      await redis.sadd('{s}from', 'm');
      assert.equal(await redis.smove('{s}from', '{s}to', 'm'), true);
      assert.equal(await redis.smove('{s}from', '{s}to', 'm'), false);
      assert.deepEqual(await redis.smembers('{s}to'), ['m']);
    },
  },
  {
    slug: 'sscan-yields-every-member',
    name: 'sscan iterates over every member of a large set and filters members by pattern',
    async run({ redis }) {
      const members = Array.from({ length: 500 }, (_, i) => `m${i}`);
      await redis.sadd('s', ...members, 'other');
      const seen = new Set<string>();
      for await (const member of redis.sscan('s', { count: 20 })) seen.add(member);
      assert.equal(seen.size, 501);
      for (const member of members) assert.ok(seen.has(member), member);
      const matched = new Set<string>();
      for await (const member of redis.sscan('s', { match: 'm4?' })) matched.add(member);
      assert.deepEqual([...matched].sort(), Array.from({ length: 10 }, (_, i) => `m4${i}`).sort());
    },
  },
]);
