import assert from 'node:assert/strict';
import {
  defineScript,
  hashTag,
  keySlot,
  RedisCommandRefusedError,
  RedisCrossSlotError,
  RedisReplyError,
  RedisValidationError,
  rateLimitKeys,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { slotOwners } from './support/cluster-slots.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { MessageReader } from './support/pubsub-reader.js';
import { rejectsWith } from './support/rejects-with.js';

const WAIT_MS = 5000;

/** Keys that must give the server's slot, tags of every shape and awkward text among them. */
const TRICKY_KEYS: readonly string[] = [
  '',
  'foo',
  '{}',
  '{',
  '}',
  '}{',
  '{}{x}',
  '{x}{y}',
  'a{b}c',
  'a{}b}c',
  '{{x}}',
  'x}y{z}',
  '{user:1}:cart',
  'ünïcödé{ключ}',
  '日本語',
  '😀{🔑}x',
  'tab\tnew\nline',
  'rsk:prefix:{tag}:key',
];

function randomText(random: () => number, length: number): string {
  const pieces = ['a', 'z', '0', ':', '{', '}', ' ', 'é', 'ß', '中', '😀', '\u0000', '%'];
  let text = '';
  for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)]!;
  return text;
}

/** A small deterministic PRNG, so a failing key can be found again. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The cases only a cluster has: slots, routing, cross-slot refusals, node targeting, sharded pub/sub. */
export const clusterCases: IntegrationCase[] = defineCases('cluster', [
  {
    slug: 'key-slot-matches-server',
    name: "keySlot gives CLUSTER KEYSLOT's answer for every kind of key (tags of every shape, unicode, bytes, the key prefix), and hashTag co-locates",
    requires: ['cluster'],
    timeoutMs: 60_000,
    async run({ redis, prefix }) {
      const random = prng(0x5eed);
      const texts = [
        ...TRICKY_KEYS,
        ...TRICKY_KEYS.map((key) => prefix + key),
        ...Array.from({ length: 300 }, (_, i) => randomText(random, 1 + (i % 12))),
      ];
      const bytes = Array.from({ length: 100 }, (_, i) =>
        Uint8Array.from(
          { length: 1 + (i % 9) },
          () => [0x7b, 0x7d, 0x00, 0xff, 0x80][Math.floor(random() * 5)] ?? 0,
        ),
      );
      const keys: (string | Uint8Array)[] = [...texts, ...bytes];
      const server = await Promise.all(keys.map((key) => redis.command(['CLUSTER', 'KEYSLOT', key])));
      const wrong = keys
        .map((key, i) => ({ key, mine: keySlot(key), server: server[i] }))
        .filter((entry) => entry.mine !== entry.server);
      assert.deepEqual(wrong, [], 'keySlot differs from CLUSTER KEYSLOT');
      for (const name of ['user:1', 'a}b', '{x}y', '}']) {
        const tagged = await redis.command(['CLUSTER', 'KEYSLOT', `${prefix}${hashTag(name)}:cart`]);
        const own = await redis.command(['CLUSTER', 'KEYSLOT', name]);
        assert.equal(
          tagged,
          own,
          `hashTag(${JSON.stringify(name)}) puts keys on the slot of the name itself`,
        );
      }
    },
  },
  {
    slug: 'multi-key-commands-span-nodes',
    name: 'mget, mset, exists, delete, mgetJson, msetJson with a TTL, mgetModels and msetModels over keys of every master keep their meaning, answers in the caller order',
    requires: ['cluster'],
    async run({ redis, prefix }) {
      const owner = await slotOwners(redis);
      const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
      const nodes = new Set(keys.map((key) => owner(keySlot(prefix + key))));
      assert.ok(nodes.size >= 2, `the keys spread over the masters (${nodes.size})`);
      await redis.mset(keys.map((key) => [key, `v:${key}`] as const));
      const order = [...keys].reverse().concat('missing', keys[7]!);
      assert.deepEqual(
        await redis.mget(order),
        order.map((key) => (key === 'missing' ? null : `v:${key}`)),
      );
      // MGET answers nil for a key of another type: so must every part of a split one, a key
      // alone in its slot (which a driver may read with GET) as well as two keys sharing one.
      const slots = new Set([...keys, '{pair}'].map((key) => keySlot(prefix + key)));
      const lone = Array.from({ length: 200 }, (_, i) => `hash${i}`).find(
        (key) => !slots.has(keySlot(prefix + key)),
      )!;
      const pair = [`{pair}:hash`, `{pair}:text`];
      await redis.hset(lone, { f: 'v' });
      await redis.hset(pair[0]!, { f: 'v' });
      await redis.set(pair[1]!, 'text');
      assert.deepEqual(
        await redis.mget([keys[0]!, lone, ...pair, keys[1]!]),
        [`v:${keys[0]}`, null, null, 'text', `v:${keys[1]}`],
        'a key of another type reads as null, alone in its slot or not',
      );
      const [piped] = await redis.pipeline((p) => [p.mget([lone, keys[2]!, ...pair])]);
      assert.deepEqual(
        piped,
        { ok: true, value: [null, `v:${keys[2]}`, null, 'text'] },
        'the same in a pipeline',
      );
      // Each key lives on the master of its slot: that node alone answers for it.
      const masters = new Map((await redis.masters()).map((node) => [node.id, node]));
      for (const key of keys.slice(0, 10)) {
        const node = masters.get(owner(keySlot(prefix + key)));
        assert.ok(node, `masters() lists the owner of ${key}`);
        assert.equal(await node.command(['GET', prefix + key]), `v:${key}`);
      }
      assert.equal(await redis.exists(...keys, keys[0]!, 'missing'), keys.length + 1);
      assert.equal(await redis.delete(...keys.slice(0, 30), 'missing'), 30);
      assert.equal(await redis.exists(...keys), 30);
      const json = keys.map((key, i) => [`j:${key}`, { i }] as const);
      await redis.msetJson(json, { ttlMs: 60_000 });
      assert.deepEqual(
        await redis.mgetJson(json.map(([key]) => key)),
        json.map(([, value]) => value),
      );
      for (const [key] of json.slice(0, 10)) {
        const left = await redis.pttl(key);
        assert.ok(left > 0 && left <= 60_000, `${key} has the TTL (${left})`);
      }
    },
  },
  {
    slug: 'pipeline-across-nodes',
    name: 'a pipeline over keys of every master sends each command to its own node and gives each result (and error) its place',
    requires: ['cluster'],
    async run({ redis }) {
      await redis.set('text', 'plain');
      const results = await redis.pipeline((p) => [
        ...Array.from({ length: 30 }, (_, i) => p.set(`p${i}`, String(i))),
        p.mget(Array.from({ length: 30 }, (_, i) => `p${29 - i}`)),
        p.hset('text', 'f', 'v'),
        p.incr('p3'),
        p.delete('p0', 'p1', 'p2', 'missing'),
        p.exists('p0', 'p3'),
      ]);
      for (let i = 0; i < 30; i++) assert.deepEqual(results[i], { ok: true, value: true });
      assert.deepEqual(results[30], {
        ok: true,
        value: Array.from({ length: 30 }, (_, i) => String(29 - i)),
      });
      const wrongType = results[31]!;
      assert.ok(!wrongType.ok && wrongType.error instanceof RedisReplyError, 'hset on a string fails alone');
      assert.deepEqual(results.slice(32), [
        { ok: true, value: 4 },
        { ok: true, value: 3 },
        { ok: true, value: 1 },
      ]);
    },
  },
  {
    slug: 'transaction-keeps-to-one-slot',
    name: 'a transaction whose keys share a hash tag runs atomically on their node; one whose keys span slots is refused with RedisCrossSlotError, naming each key and slot, before anything is sent',
    requires: ['cluster', 'transactions'],
    async run({ redis, prefix }) {
      const tag = hashTag('order:7');
      const ok = await redis.transaction((tx) => [
        tx.set(`${tag}:a`, '1'),
        tx.incr(`${tag}:n`),
        tx.get(`${tag}:a`),
      ]);
      assert.deepEqual(ok, [
        { ok: true, value: true },
        { ok: true, value: 1 },
        { ok: true, value: '1' },
      ]);
      const error = await rejectsWith(
        redis.transaction((tx) => [tx.set('left', '1'), tx.set('right', '2')]),
        RedisCrossSlotError,
        'a transaction over two slots',
      );
      assert.ok(error instanceof RedisValidationError, 'a RedisCrossSlotError is a RedisValidationError');
      assert.deepEqual(
        error.keys.map(({ key, slot }) => [key, slot]),
        [`${prefix}left`, `${prefix}right`].map((key) => [key, keySlot(key)]),
      );
      assert.match(error.message, new RegExp(`slot ${keySlot(`${prefix}left`)}`));
      assert.equal(await redis.exists('left', 'right'), 0, 'nothing was written');
    },
  },
  {
    slug: 'script-keeps-to-one-slot',
    name: 'a script whose keys share a hash tag runs on their node; one whose keys span slots is refused with RedisCrossSlotError before anything is sent',
    requires: ['cluster', 'scripting'],
    async run({ redis }) {
      const script = defineScript(
        "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return 1",
      );
      const tag = hashTag('pair');
      assert.equal(await redis.runScript(script, { keys: [`${tag}:a`, `${tag}:b`], args: ['x'] }), 1);
      assert.deepEqual(await redis.mget([`${tag}:a`, `${tag}:b`]), ['x', 'x']);
      await rejectsWith(
        redis.runScript(script, { keys: ['one', 'two'], args: ['x'] }),
        RedisCrossSlotError,
        'a script over two slots',
      );
      assert.equal(await redis.exists('one', 'two'), 0, 'nothing was written');
    },
  },
  {
    slug: 'scan-walks-every-master',
    name: 'scan walks every master and yields each key of the service once',
    requires: ['cluster'],
    async run({ redis }) {
      const keys = Array.from({ length: 300 }, (_, i) => `s:${i}`);
      await redis.mset(keys.map((key) => [key, '1'] as const));
      await redis.set('other', '1');
      const seen: string[] = [];
      for await (const key of redis.scan({ match: 's:*', count: 20 })) seen.push(key);
      assert.equal(seen.length, keys.length, 'each key once');
      assert.deepEqual([...new Set(seen)].sort(), [...keys].sort());
    },
  },
  {
    slug: 'node-wide-commands-need-a-node',
    name: 'command() refuses keyless commands that act on one node (DBSIZE, KEYS, SCAN, FLUSHALL, SCRIPT FLUSH, INFO) with RedisCommandRefusedError; masters() runs them on each master',
    requires: ['cluster'],
    async run({ redis, prefix }) {
      await redis.set('still-here', '1');
      for (const command of [
        ['DBSIZE'],
        ['KEYS', '*'],
        ['SCAN', '0'],
        ['FLUSHALL'],
        ['SCRIPT', 'FLUSH'],
        ['INFO'],
      ]) {
        const error = await rejectsWith(redis.command(command), RedisCommandRefusedError, command.join(' '));
        assert.equal(error.reason, 'node-wide');
        assert.match(error.message, /masters\(\)/);
      }
      assert.equal(await redis.get('still-here'), '1', 'nothing was flushed');
      const masters = await redis.masters();
      assert.ok(masters.length >= 3, `three masters or more (${masters.length})`);
      assert.equal(new Set(masters.map((node) => node.id)).size, masters.length);
      let total = 0;
      for (const node of masters) total += Number(await node.command(['DBSIZE']));
      assert.ok(total >= 1, 'DBSIZE of every master counts the key');
      const owner = await slotOwners(redis);
      const elsewhere = masters.find((node) => node.id !== owner(keySlot(`${prefix}still-here`)))!;
      const moved = await rejectsWith(
        elsewhere.command(['GET', `${prefix}still-here`]),
        RedisReplyError,
        'GET on a node that does not own the key',
      );
      assert.equal(moved.prefix, 'MOVED', 'a node-targeted command is not redirected');
      assert.equal(await redis.command(['PING']), 'PONG', 'PING answers the same anywhere');
    },
  },
  {
    slug: 'prefix-with-a-brace-is-refused',
    name: "a key prefix with a '{' is refused on a cluster (it would pick the slot of every key of the service)",
    requires: ['cluster'],
    async run(ctx) {
      for (const keyPrefix of [`${ctx.prefix}{tenant}:`, `${ctx.prefix}{`]) {
        await rejectsWith(ctx.createService({ keyPrefix }), RedisValidationError, `keyPrefix ${keyPrefix}`);
      }
    },
  },
  {
    slug: 'l1-is-refused',
    name: 'an in-process cache (l1) is refused on a cluster with RedisValidationError: tracking is per node, so it would miss the invalidations of the other nodes',
    requires: ['cluster'],
    async run(ctx) {
      for (const l1 of [{}, { coherence: 'ttl' as const }, { coherence: 'bus' as const }]) {
        await rejectsWith(ctx.createService({ l1 }), RedisValidationError, `l1 ${JSON.stringify(l1)}`);
      }
    },
  },
  {
    slug: 'pubsub-across-nodes',
    name: 'PUBLISH from one service reaches a subscriber of another on any node, in order per channel',
    requires: ['cluster', 'pubsub'],
    async run(ctx) {
      const channels = Array.from({ length: 8 }, (_, i) => `${ctx.prefix}ch${i}`);
      await using sub = await ctx.redis.subscribe(...channels);
      const reader = new MessageReader(sub);
      const publisher = await ctx.createService();
      for (let round = 0; round < 5; round++) {
        for (const channel of channels) await publisher.publish(channel, `${round}`);
      }
      const messages = await reader.take(channels.length * 5, WAIT_MS);
      for (const channel of channels) {
        assert.deepEqual(
          messages.filter((m) => m.channel === channel).map((m) => m.message),
          ['0', '1', '2', '3', '4'],
          `every message of ${channel}, in order`,
        );
      }
    },
  },
  {
    slug: 'sharded-pubsub',
    name: 'ssubscribe and spublish reach across services on the node of each shard channel, apart from plain channels of the same name',
    requires: ['cluster', 'pubsub', 'shardedPubsub'],
    async run(ctx) {
      const channels = Array.from({ length: 6 }, (_, i) => `${ctx.prefix}shard${i}`);
      await using sub = await ctx.redis.ssubscribe(...channels);
      const reader = new MessageReader(sub);
      const publisher = await ctx.createService();
      await publisher.publish(channels[0]!, 'plain: not for shard subscribers');
      for (const channel of channels) assert.equal(await publisher.spublish(channel, `to ${channel}`), 1);
      const messages = await reader.take(channels.length, WAIT_MS);
      assert.deepEqual(
        messages.map((m) => [m.channel, m.message, m.sharded]).sort(),
        channels.map((channel) => [channel, `to ${channel}`, true]).sort(),
      );
    },
  },
  {
    slug: 'rate-limits-spread-over-slots',
    name: "rate limits of keys holding a '}' count apart and spread over the slots instead of piling onto the slot of their first part",
    requires: ['cluster', 'scripting'],
    async run({ redis, prefix }) {
      const keys = Array.from({ length: 40 }, (_, i) => `user}${i}`);
      const slots = new Set(keys.map((key) => keySlot(prefix + rateLimitKeys(key, 'fixed-window')[0]!)));
      assert.ok(slots.size >= 30, `limiter keys spread over ${slots.size} slots`);
      const options = { algorithm: 'fixed-window', limit: 2, windowMs: 60_000 } as const;
      for (const key of keys.slice(0, 5)) {
        const results = await Promise.all([1, 2, 3].map(() => redis.checkRateLimit(key, options)));
        assert.deepEqual(
          results.map((result) => result.allowed).sort(),
          [false, true, true],
          `${key}: two allowed, the third denied`,
        );
      }
    },
  },
  {
    slug: 'get-or-compute-keys-share-a-slot',
    name: "getOrCompute on keys with a '}' or a tag computes once across services and wakes the waiter (lease, value and notice on one slot)",
    requires: ['cluster', 'scripting', 'pubsub'],
    async run(ctx) {
      const other = await ctx.createService();
      for (const key of ['a}b', '{t}x', 'plain']) {
        let computes = 0;
        let release: (() => void) | undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const owner = ctx.redis.getOrCompute(
          key,
          async () => {
            computes++;
            await gate;
            return `value of ${key}`;
          },
          { ttlMs: 60_000, lockTtlMs: 20_000 },
        );
        await eventually(async () => computes === 1, `${key}: the owner computes`, { timeoutMs: WAIT_MS });
        const waiter = other.getOrCompute(key, () => assert.fail('the waiter must not compute'), {
          ttlMs: 60_000,
          waitTimeoutMs: 15_000,
        });
        release?.();
        assert.equal(await owner, `value of ${key}`);
        assert.equal(await waiter, `value of ${key}`);
        assert.equal(computes, 1, `${key}: computed once`);
      }
    },
  },
]);
