import assert from 'node:assert/strict';
import {
  type Capability,
  RedisReplyError,
  RedisSerializationError,
  type RedisService,
  RedisValidationError,
} from '@redis-service/core';
import { allByteValues, assertBytes } from './bytes.js';
import type { CaseSpec } from './define-cases.js';
import { rejectsWith } from './rejects-with.js';
import { settledError, settledValue } from './settled-value.js';
import { unchecked } from './unchecked.js';
import { ada, asyncUserSchema, invalidUser, type User, userSchema } from './user-schema.js';

/** Which batch the cases drive. */
export type BatchMode = 'pipeline' | 'transaction';

function batchOf(redis: RedisService, mode: BatchMode): RedisService['pipeline'] {
  return mode === 'pipeline' ? redis.pipeline.bind(redis) : redis.transaction.bind(redis);
}

/**
 * The cases every batch kind must pass, written once: `pipelines/*` and `transactions/*` run the
 * same scenarios, so a driver cannot get one of them right by accident.
 */
export function batchCaseSpecs(mode: BatchMode): CaseSpec[] {
  const base: readonly Capability[] = mode === 'transaction' ? ['transactions'] : [];
  const a = mode === 'pipeline' ? 'a pipeline' : 'a transaction';
  // A transaction's keys share one hash tag, so the cases mean the same on a Redis Cluster (where
  // a transaction must keep to one slot) as on one server; a pipeline's keys spread over slots.
  const k = (name: string) => (mode === 'transaction' ? `{tx}:${name}` : name);
  return [
    {
      slug: 'every-command-gets-its-result',
      name: `every command in ${a} settles with its own typed result`,
      requires: base,
      async run({ redis }) {
        const results = await batchOf(
          redis,
          mode,
        )((b) => [
          b.set(k('s'), 'v'),
          b.get(k('s')),
          b.incr(k('n'), 5),
          b.hset(k('h'), { a: '1', b: '2' }),
          b.hgetall(k('h')),
          b.rpush(k('l'), 'x', 'y'),
          b.lrange(k('l'), 0, -1),
          b.zadd(k('z'), { m: 1.5 }),
          b.zscore(k('z'), 'm'),
          b.exists(k('s'), k('n'), k('missing')),
          b.delete(k('missing')),
          b.get(k('missing')),
          b.sadd(k('set'), 'p', 'q'),
          b.expire(k('s'), 100),
        ]);
        assert.equal(results.length, 14, 'one result per command');
        const [
          set,
          get,
          incr,
          hset,
          hgetall,
          rpush,
          lrange,
          zadd,
          zscore,
          exists,
          del,
          missing,
          sadd,
          expire,
        ] = results;
        assert.strictEqual(settledValue(set, 'set'), true);
        assert.strictEqual(settledValue(get, 'get'), 'v');
        assert.strictEqual(settledValue(incr, 'incr'), 5);
        assert.strictEqual(settledValue(hset, 'hset'), 2);
        assert.deepEqual(settledValue(hgetall, 'hgetall'), { a: '1', b: '2' });
        assert.strictEqual(settledValue(rpush, 'rpush'), 2);
        assert.deepEqual(settledValue(lrange, 'lrange'), ['x', 'y']);
        assert.strictEqual(settledValue(zadd, 'zadd'), 1);
        assert.strictEqual(settledValue(zscore, 'zscore'), 1.5);
        assert.strictEqual(settledValue(exists, 'exists'), 2);
        assert.strictEqual(settledValue(del, 'delete'), 0);
        assert.strictEqual(settledValue(missing, 'get missing'), null);
        assert.strictEqual(settledValue(sadd, 'sadd'), 2);
        assert.strictEqual(settledValue(expire, 'expire'), true);
      },
    },
    {
      slug: 'new-command-groups-inside',
      name: `the string, key, hash, list, set, sorted-set, HyperLogLog, bitmap and geo commands record in ${a} with their typed results`,
      requires: base,
      async run({ redis }) {
        // One hash tag for every key: several commands combine keys, which a cluster keeps to one slot.
        const g = (name: string) => `{g}:${name}`;
        await redis.set(g('s'), 'hello');
        await redis.hset(g('h'), { a: '1' });
        await redis.rpush(g('l'), 'x', 'y', 'x');
        await redis.sadd(g('s1'), 'p', 'q');
        await redis.sadd(g('s2'), 'q', 'r');
        await redis.zadd(g('z1'), { m: 1, n: 2 });
        await redis.zadd(g('z2'), { n: 3 });
        const results = await batchOf(
          redis,
          mode,
        )((b) => [
          b.append(g('s'), '!'),
          b.strlen(g('s')),
          b.getrange(g('s'), 0, 1),
          b.incrByFloat(g('f'), 1.5),
          b.getdel(g('s')),
          b.type(g('h')),
          b.copy(g('h'), g('h2')),
          b.expiretime(g('h2')),
          b.hsetnx(g('h'), 'b', '2'),
          b.hincrByFloat(g('h'), 'a', 0.5),
          b.hrandfield(g('h'), 5, { withValues: true }),
          b.lpos(g('l'), 'x', { count: 0 }),
          b.linsert(g('l'), 'AFTER', 'y', 'z'),
          b.lmove(g('l'), g('l2'), 'LEFT', 'RIGHT'),
          b.sinter(g('s1'), g('s2')),
          b.sunionStore(g('su'), g('s1'), g('s2')),
          b.smismember(g('s1'), 'p', 'r'),
          b.zmscore(g('z1'), 'm', 'missing'),
          b.zunion([g('z1'), g('z2')], { withScores: true }),
          b.zpopmin(g('z1')),
          b.zcount(g('z1'), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
          b.pfadd(g('hll'), 'a', 'b'),
          b.pfcount(g('hll')),
          b.setbit(g('bits'), 3, 1),
          b.bitcount(g('bits')),
          b.geoadd(g('g'), { member: 'Catania', longitude: 15.087269, latitude: 37.502669 }),
          b.geosearch(g('g'), {
            from: { longitude: 15, latitude: 37 },
            by: { radius: 100, unit: 'km' },
            withDist: true,
          }),
          b.rename(g('h2'), g('h3')),
        ]);
        assert.equal(results.length, 28, 'one result per command');
        const [
          append,
          strlen,
          getrange,
          incr,
          getdel,
          type,
          copy,
          expiretime,
          hsetnx,
          hincr,
          hrand,
          lpos,
          linsert,
          lmove,
          sinter,
          sunionStore,
          smismember,
          zmscore,
          zunion,
          zpopmin,
          zcount,
          pfadd,
          pfcount,
          setbit,
          bitcount,
          geoadd,
          geosearch,
          rename,
        ] = results;
        assert.strictEqual(settledValue(append, 'append'), 6);
        assert.strictEqual(settledValue(strlen, 'strlen'), 6);
        assert.strictEqual(settledValue(getrange, 'getrange'), 'he');
        assert.strictEqual(settledValue(incr, 'incrByFloat'), 1.5);
        assert.strictEqual(settledValue(getdel, 'getdel'), 'hello!');
        assert.strictEqual(settledValue(type, 'type'), 'hash');
        assert.strictEqual(settledValue(copy, 'copy'), true);
        assert.strictEqual(settledValue(expiretime, 'expiretime'), 'no-expiry');
        assert.strictEqual(settledValue(hsetnx, 'hsetnx'), true);
        assert.strictEqual(settledValue(hincr, 'hincrByFloat'), 1.5);
        assert.deepEqual(
          [...settledValue(hrand, 'hrandfield')].sort((x, y) => x.field.localeCompare(y.field)),
          [
            { field: 'a', value: '1.5' },
            { field: 'b', value: '2' },
          ],
        );
        assert.deepEqual(settledValue(lpos, 'lpos'), [0, 2]);
        assert.strictEqual(settledValue(linsert, 'linsert'), 4);
        assert.strictEqual(settledValue(lmove, 'lmove'), 'x');
        assert.deepEqual(settledValue(sinter, 'sinter'), ['q']);
        assert.strictEqual(settledValue(sunionStore, 'sunionStore'), 3);
        assert.deepEqual(settledValue(smismember, 'smismember'), [true, false]);
        assert.deepEqual(settledValue(zmscore, 'zmscore'), [1, null]);
        assert.deepEqual(settledValue(zunion, 'zunion'), [
          { member: 'm', score: 1 },
          { member: 'n', score: 5 },
        ]);
        assert.deepEqual(settledValue(zpopmin, 'zpopmin'), { member: 'm', score: 1 });
        assert.strictEqual(settledValue(zcount, 'zcount'), 1);
        assert.strictEqual(settledValue(pfadd, 'pfadd'), true);
        assert.strictEqual(settledValue(pfcount, 'pfcount'), 2);
        assert.strictEqual(settledValue(setbit, 'setbit'), 0);
        assert.strictEqual(settledValue(bitcount, 'bitcount'), 1);
        assert.strictEqual(settledValue(geoadd, 'geoadd'), 1);
        const [hit] = settledValue(geosearch, 'geosearch');
        assert.equal(hit?.member, 'Catania');
        assert.ok(Math.abs((hit?.distance ?? 0) - 56.4413) < 0.001, `distance: ${hit?.distance}`);
        assert.strictEqual(settledValue(rename, 'rename'), true);
        assert.equal(await redis.get(g('s')), null, 'getdel deleted the key');
        assert.equal(await redis.exists(g('h3')), 1);
      },
    },
    {
      slug: 'results-come-in-order',
      name: `the results of ${a} come back in the order the commands were queued`,
      requires: base,
      async run({ redis }) {
        const results = await batchOf(redis, mode)((b) => Array.from({ length: 50 }, () => b.incr(k('n'))));
        assert.deepEqual(
          results.map((result, i) => settledValue(result, `incr #${i}`)),
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        const mixed = await batchOf(
          redis,
          mode,
        )((b) =>
          Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0 ? b.set(k(`k${i}`), `v${i}`) : b.get(k(`k${i - 1}`)),
          ),
        );
        mixed.forEach((result, i) => {
          assert.strictEqual(settledValue(result, `command #${i}`), i % 2 === 0 ? true : `v${i - 1}`);
        });
      },
    },
    {
      slug: 'failing-command-reports-its-own-error',
      name: `a command that fails inside ${a} reports its own RedisReplyError and the others still run`,
      requires: base,
      async run({ redis }) {
        await redis.set(k('text'), 'plain');
        const [before, hset, incr, lpush, after] = await batchOf(
          redis,
          mode,
        )((b) => [
          b.set(k('a'), '1'),
          b.hset(k('text'), 'f', 'v'),
          b.incr(k('n')),
          b.lpush(k('text'), 'x'),
          b.get(k('a')),
        ]);
        assert.strictEqual(settledValue(before, 'set before'), true);
        const wrongType = settledError(hset, RedisReplyError, 'hset on a string');
        assert.equal(wrongType.prefix, 'WRONGTYPE');
        assert.strictEqual(settledValue(incr, 'incr'), 1);
        assert.equal(settledError(lpush, RedisReplyError, 'lpush on a string').prefix, 'WRONGTYPE');
        assert.strictEqual(settledValue(after, 'get after'), '1');
        assert.equal(await redis.get(k('a')), '1');
        assert.equal(await redis.get(k('n')), '1');
        assert.equal(await redis.get(k('text')), 'plain');
      },
    },
    {
      slug: 'bad-input-rejects-the-whole-batch',
      name: `bad input in one command rejects ${a} as a whole and nothing is written`,
      requires: base,
      async run({ redis }) {
        const batch = batchOf(redis, mode);
        await rejectsWith(
          batch((b) => [b.set(k('a'), '1'), b.set(k('b'), unchecked<string>(undefined))]),
          RedisValidationError,
          'set undefined',
        );
        await rejectsWith(
          batch((b) => [b.incr(k('a')), b.zadd(k('z'), { m: Number.NaN })]),
          RedisValidationError,
          'zadd NaN',
        );
        await rejectsWith(
          batch((b) => [
            b.set(k('a'), '1'),
            b.setModel(k('u'), asyncUserSchema, unchecked<User>(invalidUser)),
          ]),
          RedisValidationError,
          'setModel with an async schema, invalid',
        );
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        await rejectsWith(
          batch((b) => [b.set(k('a'), '1'), b.setJson(k('j'), circular)]),
          RedisSerializationError,
          'setJson circular',
        );
        assert.equal(await redis.exists(k('a'), k('b'), k('z'), k('u'), k('j')), 0, 'nothing was written');
      },
    },
    {
      slug: 'empty-batch-returns-no-results',
      name: `${a} whose callback queues nothing resolves with []`,
      requires: base,
      async run({ redis }) {
        assert.deepEqual(await batchOf(redis, mode)(() => []), []);
      },
    },
    {
      slug: 'json-and-models-inside',
      name: `JSON and model commands inside ${a} encode, decode and validate like their direct forms`,
      requires: base,
      async run({ redis }) {
        const [setJson, getJson, setModel, getModel, asyncModel, mgetJson, plain, invalid] = await batchOf(
          redis,
          mode,
        )((b) => [
          b.setJson(k('j'), { n: 1, s: 'ü' }),
          b.getJson(k('j')),
          b.setModel(k('u'), userSchema, ada),
          b.getModel(k('u'), userSchema),
          b.getModel(k('u'), asyncUserSchema),
          b.mgetJson([k('j'), k('missing')]),
          b.set(k('bad'), '{"name":1}'),
          b.getModel(k('bad'), userSchema),
        ]);
        assert.strictEqual(settledValue(setJson, 'setJson'), true);
        assert.deepEqual(settledValue(getJson, 'getJson'), { n: 1, s: 'ü' });
        assert.strictEqual(settledValue(setModel, 'setModel'), true);
        assert.deepEqual(settledValue(getModel, 'getModel'), ada);
        assert.deepEqual(settledValue(asyncModel, 'getModel (async schema)'), ada);
        assert.deepEqual(settledValue(mgetJson, 'mgetJson'), [{ n: 1, s: 'ü' }, null]);
        assert.strictEqual(settledValue(plain, 'set'), true);
        const error = settledError(invalid, RedisValidationError, 'getModel of an invalid value');
        assert.equal(error.key, k('bad'));
        assert.deepEqual(await redis.getModel(k('u'), userSchema), ada);
      },
    },
    {
      slug: 'bytes-and-text-inside',
      name: `getBytes inside ${a} reads bytes while the text commands beside it still read text`,
      requires: [...base, 'binary'],
      async run({ redis }) {
        const bytes = allByteValues();
        const [set, getBytes, setText, get, incr, lrange, missing] = await batchOf(
          redis,
          mode,
        )((b) => [
          b.set(k('bin'), bytes),
          b.getBytes(k('bin')),
          b.set(k('text'), 'héllo 🌍'),
          b.get(k('text')),
          b.incr(k('n')),
          b.lrange(k('missing-list'), 0, -1),
          b.getBytes(k('missing')),
        ]);
        assert.strictEqual(settledValue(set, 'set bytes'), true);
        assertBytes(settledValue(getBytes, 'getBytes'), bytes, 'getBytes');
        assert.strictEqual(settledValue(setText, 'set text'), true);
        assert.strictEqual(settledValue(get, 'get text'), 'héllo 🌍');
        assert.strictEqual(settledValue(incr, 'incr'), 1);
        assert.deepEqual(settledValue(lrange, 'lrange'), []);
        assert.strictEqual(settledValue(missing, 'getBytes missing'), null);
      },
    },
  ];
}
