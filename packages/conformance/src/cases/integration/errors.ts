import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { defineScript, RedisReplyError, type RedisService } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { type CaseSpec, defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';
import { userSchema } from './support/user-schema.js';

/** Asserts the server's WRONGTYPE error arrives as a `RedisReplyError` carrying it verbatim. */
async function assertWrongType(promise: Promise<unknown>, what: string): Promise<void> {
  const error = await rejectsWith(promise, RedisReplyError, what);
  assert.ok(error.message.startsWith('WRONGTYPE'), `${what}: message ${error.message}`);
  assert.equal(error.prefix, 'WRONGTYPE', `${what}: prefix`);
}

interface WrongTypeSpec {
  readonly group: string;
  /** Writes a key of some other type at `key`. */
  readonly seed: (redis: RedisService, key: string) => Promise<unknown>;
  /** Commands of `group` aimed at that key. */
  readonly calls: Readonly<Record<string, (redis: RedisService, key: string) => Promise<unknown>>>;
}

const wrongTypeSpecs: readonly WrongTypeSpec[] = [
  {
    group: 'strings',
    seed: (redis, key) => redis.rpush(key, 'x'),
    calls: {
      get: (redis, key) => redis.get(key),
      incr: (redis, key) => redis.incr(key),
      decr: (redis, key) => redis.decr(key, 2),
    },
  },
  {
    group: 'hashes',
    seed: (redis, key) => redis.set(key, 'text'),
    calls: {
      hset: (redis, key) => redis.hset(key, 'f', 'v'),
      hget: (redis, key) => redis.hget(key, 'f'),
      hgetall: (redis, key) => redis.hgetall(key),
      hincrBy: (redis, key) => redis.hincrBy(key, 'f', 1),
      hdel: (redis, key) => redis.hdel(key, 'f'),
    },
  },
  {
    group: 'lists',
    seed: (redis, key) => redis.set(key, 'text'),
    calls: {
      lpush: (redis, key) => redis.lpush(key, 'x'),
      rpush: (redis, key) => redis.rpush(key, 'x'),
      lpop: (redis, key) => redis.lpop(key),
      lrange: (redis, key) => redis.lrange(key, 0, -1),
      llen: (redis, key) => redis.llen(key),
    },
  },
  {
    group: 'sets',
    seed: (redis, key) => redis.hset(key, 'f', 'v'),
    calls: {
      sadd: (redis, key) => redis.sadd(key, 'm'),
      smembers: (redis, key) => redis.smembers(key),
      sismember: (redis, key) => redis.sismember(key, 'm'),
      scard: (redis, key) => redis.scard(key),
    },
  },
  {
    group: 'sorted-sets',
    seed: (redis, key) => redis.sadd(key, 'm'),
    calls: {
      zadd: (redis, key) => redis.zadd(key, { m: 1 }),
      zscore: (redis, key) => redis.zscore(key, 'm'),
      zincrBy: (redis, key) => redis.zincrBy(key, 1, 'm'),
      zrange: (redis, key) => redis.zrange(key, 0, -1),
      zrangeByScore: (redis, key) => redis.zrangeByScore(key, 0, 1),
    },
  },
  {
    group: 'json-and-models',
    seed: (redis, key) => redis.zadd(key, { m: 1 }),
    calls: {
      getJson: (redis, key) => redis.getJson(key),
      getModel: (redis, key) => redis.getModel(key, userSchema),
    },
  },
];

const wrongTypePerGroup: CaseSpec[] = wrongTypeSpecs.map(({ group, seed, calls }) => ({
  slug: `wrongtype-on-${group}`,
  name: `every ${group.replace(/-/g, ' ')} command on a key of another type rejects with a WRONGTYPE RedisReplyError`,
  async run({ redis }) {
    await seed(redis, 'k');
    for (const [what, call] of Object.entries(calls)) await assertWrongType(call(redis, 'k'), what);
  },
}));

/** A script no server has cached yet, so the first EVALSHA must meet NOSCRIPT. */
function freshScript(body: string) {
  return defineScript(`-- ${randomUUID()}\n${body}`);
}

/** Cases on how failures reach the caller: server error replies, unknown commands, Lua scripts. */
export const errorCases: IntegrationCase[] = defineCases('errors', [
  {
    slug: 'wrongtype-is-a-reply-error',
    name: 'a command on a key of the wrong type rejects with RedisReplyError carrying the WRONGTYPE message',
    async run({ redis }) {
      await redis.set('k', 'text');
      await assertWrongType(redis.hset('k', 'f', 'v'), 'hset on a string');
      assert.equal(await redis.get('k'), 'text');
    },
  },
  ...wrongTypePerGroup,
  {
    slug: 'unknown-command-is-a-reply-error',
    name: 'an unknown command or a wrong argument count rejects with an ERR RedisReplyError',
    async run({ redis, prefix }) {
      const unknown = await rejectsWith(redis.command(['NOSUCHCOMMAND']), RedisReplyError, 'NOSUCHCOMMAND');
      assert.equal(unknown.prefix, 'ERR');
      assert.match(unknown.message, /unknown command/i);
      const arity = await rejectsWith(redis.command(['GET']), RedisReplyError, 'GET without a key');
      assert.equal(arity.prefix, 'ERR');
      assert.match(arity.message, /wrong number of arguments/i);
      // The connection is still usable after errors.
      assert.equal(await redis.command(['SET', `${prefix}k`, 'v']), 'OK');
      assert.equal(await redis.get('k'), 'v');
    },
  },
  {
    slug: 'script-falls-back-from-noscript',
    name: 'running a script the server has not cached works on the first call (EVAL after NOSCRIPT)',
    requires: ['scripting'],
    async run({ redis }) {
      const script = freshScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
      // Each node caches scripts of its own (SCRIPT is node-wide: one node, or every master).
      for (const node of await redis.masters()) {
        assert.deepEqual(
          await node.command(['SCRIPT', 'EXISTS', script.sha1]),
          [0],
          `not cached on ${node.id} before`,
        );
      }
      assert.strictEqual(await redis.runScript(script, { keys: ['n'], args: [5] }), 5);
      assert.strictEqual(await redis.runScript(script, { keys: ['n'], args: [2] }), 7);
      assert.equal(await redis.get('n'), '7', 'the key got the prefix');
    },
  },
  {
    slug: 'script-replies-are-normalized',
    name: 'script replies are normalized like command replies: numbers, strings, nil, arrays',
    requires: ['scripting'],
    async run({ redis }) {
      const script = freshScript("return {1, 'two', {3, 'four'}, redis.call('GET', KEYS[1]), ARGV[1]}");
      assert.deepEqual(await redis.runScript(script, { keys: ['missing'], args: ['ü'] }), [
        1,
        'two',
        [3, 'four'],
        null,
        'ü',
      ]);
      const nil = freshScript('return nil');
      assert.strictEqual(await redis.runScript(nil), null);
    },
  },
  {
    slug: 'script-big-integer-reply-is-an-exact-bigint',
    name: 'an integer beyond 2^53 returned by a script arrives as an exact bigint',
    requires: ['scripting', 'exactIntegers'],
    async run({ redis }) {
      // Lua holds numbers as doubles, so the big integer must be one a double holds exactly (2^60).
      const big = freshScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
      assert.strictEqual(
        await redis.runScript(big, { keys: ['big'], args: ['1152921504606846976'] }),
        1152921504606846976n,
      );
    },
  },
  {
    slug: 'script-error-is-a-reply-error',
    name: 'an error raised in a script rejects with RedisReplyError carrying its prefix',
    requires: ['scripting'],
    async run({ redis }) {
      const raised = freshScript("return redis.error_reply('MYERR something went wrong')");
      const custom = await rejectsWith(redis.runScript(raised), RedisReplyError, 'error_reply');
      assert.equal(custom.prefix, 'MYERR');
      await redis.set('text', 'plain');
      const wrongType = freshScript("return redis.call('HSET', KEYS[1], 'f', 'v')");
      const error = await rejectsWith(
        redis.runScript(wrongType, { keys: ['text'] }),
        RedisReplyError,
        'WRONGTYPE inside a script',
      );
      assert.equal(error.prefix, 'WRONGTYPE');
      const broken = freshScript('this is not lua');
      await rejectsWith(redis.runScript(broken), RedisReplyError, 'a script that does not compile');
      assert.equal(await redis.get('text'), 'plain');
    },
  },
]);
