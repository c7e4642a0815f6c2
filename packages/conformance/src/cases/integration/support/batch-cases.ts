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
