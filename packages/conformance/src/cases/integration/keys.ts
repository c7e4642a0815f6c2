import assert from 'node:assert/strict';
import { RedisReplyError, type RedisService, type ScanOptions } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { assertExpiresWithin } from './support/expiry.js';
import { rejectsWith } from './support/rejects-with.js';

async function scanAll(redis: RedisService, options?: ScanOptions): Promise<string[]> {
  const seen = new Set<string>();
  // SCAN may yield a key twice; the set of keys is what must be exact.
  for await (const key of redis.scan(options)) seen.add(key);
  return [...seen].sort();
}

/**
 * A prefix beside the case's own (not inside it, not containing it), so one service's SCAN must
 * skip the other's keys by prefix, not by luck.
 */
function siblingPrefix(prefix: string): string {
  return `${prefix.slice(0, -1)}-sibling:`;
}

/** Cases on commands for keys of any type: DEL, EXISTS, EXPIRE, TTL, PERSIST, SCAN. */
export const keyCases: IntegrationCase[] = defineCases('keys', [
  {
    slug: 'delete-counts-deleted-keys',
    name: 'delete removes the keys and resolves with how many existed',
    async run({ redis }) {
      await redis.mset({ a: '1', b: '2' });
      assert.equal(await redis.delete('a', 'b', 'missing'), 2);
      assert.equal(await redis.exists('a', 'b'), 0);
      assert.equal(await redis.delete('a'), 0);
    },
  },
  {
    slug: 'exists-counts-duplicates',
    name: 'exists counts the keys that exist, a key named twice counting twice',
    async run({ redis }) {
      await redis.set('a', '1');
      assert.equal(await redis.exists('a'), 1);
      assert.equal(await redis.exists('a', 'a', 'missing'), 2);
      assert.equal(await redis.exists('missing'), 0);
    },
  },
  {
    slug: 'expire-and-pexpire-set-a-ttl',
    name: 'expire and pexpire set a time to live and resolve false for a missing key',
    async run({ redis }) {
      await redis.set('k', 'v');
      assert.equal(await redis.expire('k', 100), true);
      const ttl = await redis.ttl('k');
      assert.ok(ttl > 0 && ttl <= 100, `ttl after expire 100: ${ttl}`);
      assert.equal(await redis.pexpire('k', 50_000), true);
      assertExpiresWithin(await redis.pttl('k'), 50_000, 'pttl after pexpire 50000');
      assert.equal(await redis.expire('missing', 100), false);
      assert.equal(await redis.pexpire('missing', 100_000), false);
      assert.equal(await redis.exists('missing'), 0);
    },
  },
  {
    slug: 'expire-nx-and-xx',
    name: 'expire with nx applies only without an expiry and with xx only with one',
    async run({ redis }) {
      await redis.set('k', 'v');
      assert.equal(await redis.expire('k', 100, { xx: true }), false, 'xx without an expiry');
      assert.equal(await redis.ttl('k'), -1);
      assert.equal(await redis.expire('k', 100, { nx: true }), true, 'nx without an expiry');
      assert.equal(await redis.expire('k', 200, { nx: true }), false, 'nx with an expiry');
      assert.ok((await redis.ttl('k')) <= 100, 'nx that failed must not change the expiry');
      assert.equal(await redis.expire('k', 300, { xx: true }), true, 'xx with an expiry');
      assert.ok((await redis.ttl('k')) > 200, 'xx that applied must change the expiry');
      assert.equal(await redis.pexpire('k', 100_000, { nx: true }), false, 'pexpire nx with an expiry');
    },
  },
  {
    slug: 'expire-gt-and-lt',
    name: 'expire with gt applies only to a later expiry and with lt only to an earlier one',
    async run({ redis }) {
      await redis.set('k', 'v');
      // Redis counts "no expiry" as infinite for GT/LT.
      assert.equal(await redis.expire('k', 100, { gt: true }), false, 'gt without an expiry');
      assert.equal(await redis.ttl('k'), -1);
      assert.equal(await redis.expire('k', 200, { lt: true }), true, 'lt without an expiry');
      assert.equal(await redis.expire('k', 100, { gt: true }), false, 'gt with an earlier expiry');
      assert.ok((await redis.ttl('k')) > 100, 'gt that failed must not change the expiry');
      assert.equal(await redis.expire('k', 300, { gt: true }), true, 'gt with a later expiry');
      assert.ok((await redis.ttl('k')) > 200);
      assert.equal(await redis.expire('k', 400, { lt: true }), false, 'lt with a later expiry');
      assert.equal(await redis.pexpire('k', 50_000, { lt: true }), true, 'pexpire lt with an earlier expiry');
      assertExpiresWithin(await redis.pttl('k'), 50_000, 'pttl after pexpire lt');
    },
  },
  {
    slug: 'ttl-of-missing-and-persistent-keys',
    name: 'ttl and pttl resolve -2 for a missing key and -1 for a key without expiry',
    async run({ redis }) {
      assert.equal(await redis.ttl('missing'), -2);
      assert.equal(await redis.pttl('missing'), -2);
      await redis.set('k', 'v');
      assert.equal(await redis.ttl('k'), -1);
      assert.equal(await redis.pttl('k'), -1);
    },
  },
  {
    slug: 'persist-removes-the-expiry',
    name: 'persist removes an expiry and resolves whether there was one',
    async run({ redis }) {
      await redis.set('k', 'v', { ttl: 100 });
      assert.equal(await redis.persist('k'), true);
      assert.equal(await redis.ttl('k'), -1);
      assert.equal(await redis.persist('k'), false, 'no expiry left');
      assert.equal(await redis.persist('missing'), false, 'missing key');
      assert.equal(await redis.get('k'), 'v');
    },
  },
  {
    slug: 'scan-finds-every-key',
    name: 'scan with a small count finds every one of 250 keys, without the key prefix',
    async run({ redis }) {
      const expected = Array.from({ length: 250 }, (_, i) => `item:${String(i).padStart(3, '0')}`);
      await redis.mset(expected.map((key) => [key, key] as const));
      assert.deepEqual(await scanAll(redis, { count: 10 }), expected);
    },
  },
  {
    slug: 'scan-matches-a-pattern',
    name: 'scan with match yields only the keys matching the pattern',
    async run({ redis }) {
      await redis.mset({ 'user:1': 'a', 'user:2': 'b', 'user:10': 'c', 'order:1': 'd', users: 'e' });
      assert.deepEqual(await scanAll(redis, { match: 'user:*', count: 10 }), ['user:1', 'user:10', 'user:2']);
      assert.deepEqual(await scanAll(redis, { match: 'user:?' }), ['user:1', 'user:2']);
      assert.deepEqual(await scanAll(redis, { match: 'nothing:*' }), []);
    },
  },
  {
    slug: 'scan-filters-by-type',
    name: 'scan with type yields only keys of that type',
    async run({ redis }) {
      await redis.set('string', 'v');
      await redis.hset('hash', 'f', 'v');
      await redis.rpush('list', 'v');
      await redis.sadd('set', 'v');
      await redis.zadd('zset', { v: 1 });
      assert.deepEqual(await scanAll(redis, { type: 'hash' }), ['hash']);
      assert.deepEqual(await scanAll(redis, { type: 'zset' }), ['zset']);
      assert.deepEqual(await scanAll(redis, { type: 'string' }), ['string']);
      assert.deepEqual(await scanAll(redis), ['hash', 'list', 'set', 'string', 'zset']);
    },
  },
  {
    slug: 'scan-stays-inside-the-prefix',
    name: 'scan never yields keys written under another key prefix',
    async run(ctx) {
      const other = await ctx.createService({ keyPrefix: siblingPrefix(ctx.prefix) });
      await other.mset({ mine: 'no', 'theirs:1': 'no', 'theirs:2': 'no' });
      await ctx.redis.mset({ mine: 'yes', 'own:1': 'yes' });
      assert.deepEqual(await scanAll(ctx.redis), ['mine', 'own:1']);
      assert.deepEqual(await scanAll(other), ['mine', 'theirs:1', 'theirs:2']);
      assert.deepEqual(await scanAll(ctx.redis, { match: 'theirs:*' }), []);
    },
  },
  {
    slug: 'scan-escapes-glob-characters-in-the-prefix',
    name: 'scan treats glob characters in the key prefix literally',
    async run(ctx) {
      const starred = await ctx.createService({ keyPrefix: `${ctx.prefix}a*[b]?:` });
      const plain = await ctx.createService({ keyPrefix: `${ctx.prefix}axbc:` });
      await plain.set('k', 'plain');
      await starred.set('k', 'starred');
      assert.deepEqual(await scanAll(starred), ['k']);
      assert.deepEqual(await scanAll(plain), ['k']);
      assert.equal(await starred.get('k'), 'starred');
    },
  },
  {
    slug: 'unlink-touch-and-type',
    name: 'unlink deletes like delete, touch counts existing keys and type names each kind of value',
    async run({ redis }) {
      await redis.set('string', 'v');
      await redis.rpush('list', 'a');
      await redis.sadd('set', 'a');
      await redis.zadd('zset', { a: 1 });
      await redis.hset('hash', 'f', 'v');
      await redis.pfadd('hll', 'a');
      assert.equal(await redis.type('string'), 'string');
      assert.equal(await redis.type('list'), 'list');
      assert.equal(await redis.type('set'), 'set');
      assert.equal(await redis.type('zset'), 'zset');
      assert.equal(await redis.type('hash'), 'hash');
      assert.equal(await redis.type('hll'), 'string', 'a HyperLogLog is a string');
      assert.equal(await redis.type('missing'), 'none');
      assert.equal(await redis.touch('string', 'list', 'missing'), 2);
      assert.equal(await redis.unlink('string', 'list', 'missing'), 2);
      assert.equal(await redis.exists('string', 'list'), 0);
    },
  },
  {
    slug: 'rename-renamenx-and-copy',
    name: 'rename, renamenx and copy move values between keys of the service, both keys prefixed',
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis, prefix }) {
      await redis.set('{k}a', '1');
      assert.equal(await redis.rename('{k}a', '{k}b'), true);
      assert.equal(await redis.get('{k}b'), '1');
      assert.equal(await redis.exists('{k}a'), 0);
      assert.equal(await redis.command(['GET', `${prefix}{k}b`]), '1', 'the new name has the prefix too');
      const error = await rejectsWith(
        redis.rename('{k}missing', '{k}x'),
        RedisReplyError,
        'rename of a missing key',
      );
      assert.match(error.message, /no such key/i);
      await redis.set('{k}c', '3');
      assert.equal(await redis.renamenx('{k}b', '{k}c'), false, 'renamenx onto an existing key');
      assert.equal(await redis.renamenx('{k}b', '{k}d'), true);
      assert.equal(await redis.get('{k}d'), '1');
      assert.equal(await redis.copy('{k}d', '{k}c'), false, 'copy onto an existing key');
      assert.equal(await redis.get('{k}c'), '3');
      assert.equal(await redis.copy('{k}d', '{k}c', { replace: true }), true);
      assert.equal(await redis.get('{k}c'), '1');
      assert.equal(await redis.copy('{k}missing', '{k}e'), false);
      await redis.zadd('{k}z', { m: 2 });
      assert.equal(await redis.copy('{k}z', '{k}z2'), true, 'copy keeps the type');
      assert.equal(await redis.zscore('{k}z2', 'm'), 2);
    },
  },
  {
    slug: 'expireat-and-expiretime',
    name: 'expireat and pexpireat set an absolute expiry that expiretime reads back; no expiry and missing keys are typed',
    async run({ redis }) {
      await redis.set('k', 'v');
      assert.equal(await redis.expiretime('k'), 'no-expiry');
      assert.equal(await redis.pexpiretime('k'), 'no-expiry');
      assert.equal(await redis.expiretime('missing'), 'missing');
      assert.equal(await redis.pexpiretime('missing'), 'missing');
      const at = new Date(Date.now() + 3_600_000);
      assert.equal(await redis.expireat('k', at), true);
      assert.equal(
        await redis.expiretime('k'),
        Math.floor(at.getTime() / 1000),
        'a Date counts its whole second',
      );
      assert.equal(await redis.pexpireat('k', at.getTime() + 5000), true);
      assert.equal(await redis.pexpiretime('k'), at.getTime() + 5000);
      assert.equal(await redis.expireat('k', 4_000_000_000, { lt: true }), false, 'lt with a later time');
      assert.equal(await redis.expireat('missing', at), false);
      await redis.set('old', 'v');
      assert.equal(await redis.expireat('old', new Date(Date.now() - 3_600_000)), true);
      assert.equal(await redis.exists('old'), 0, 'a time in the past deletes the key');
    },
  },
]);
