import assert from 'node:assert/strict';
import {
  type CommandRefusalReason,
  RedisAbortedError,
  type RedisCommand,
  RedisCommandRefusedError,
  RedisValidationError,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import type { CaseSpec } from './support/define-cases.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';

/** A raw command that would break the shared connection if it were sent, and what the refusal must say. */
interface Probe {
  readonly slug: string;
  readonly argv: RedisCommand;
  readonly reason: CommandRefusalReason;
  /** A word of the API the refusal must name. */
  readonly names: string;
}

const PROBES: readonly Probe[] = [
  {
    slug: 'subscribe',
    argv: ['SUBSCRIBE', 'kit-news'],
    reason: 'connection-state',
    names: 'redis.subscribe',
  },
  {
    slug: 'psubscribe',
    argv: ['PSUBSCRIBE', 'kit-*'],
    reason: 'connection-state',
    names: 'redis.psubscribe',
  },
  { slug: 'multi', argv: ['MULTI'], reason: 'connection-state', names: 'redis.transaction' },
  { slug: 'watch', argv: ['WATCH', 'kit-watched'], reason: 'connection-state', names: 'redis.watch' },
  { slug: 'select', argv: ['SELECT', 1], reason: 'connection-state', names: 'another service' },
  { slug: 'client-reply-off', argv: ['CLIENT', 'REPLY', 'OFF'], reason: 'connection-state', names: 'reply' },
  { slug: 'monitor', argv: ['MONITOR'], reason: 'connection-state', names: 'monitor' },
  { slug: 'quit', argv: ['QUIT'], reason: 'connection-state', names: 'redis.close()' },
  { slug: 'reset', argv: ['RESET'], reason: 'connection-state', names: 'redis.close()' },
  { slug: 'hello-3', argv: ['HELLO', 3], reason: 'connection-state', names: 'connection options' },
];

function probeCase({ slug, argv, reason, names }: Probe): CaseSpec {
  const shown = argv.map(String).join(' ');
  return {
    slug: `refuses-${slug}`,
    name: `command(['${shown}']) is refused with RedisCommandRefusedError naming the API to use, and the connection still serves the next typed command`,
    async run({ redis }) {
      await redis.set('marker', 'before');
      const error = await rejectsWith(redis.command(argv), RedisCommandRefusedError, shown);
      assert.equal(error.reason, reason, `${shown}: the reason`);
      assert.ok(error.message.includes(names), `${shown}: the message names ${names}: ${error.message}`);
      // The same connection, unchanged: not in MULTI (a set would be QUEUED), not on DB 1 (the
      // marker would be missing), not subscribed, not silenced, not blocked, not closed.
      assert.equal(await redis.get('marker'), 'before', `${shown}: the next typed command`);
      assert.equal(await redis.set('after', 'x'), true, `${shown}: a write after it`);
      assert.equal(await redis.incr('n'), 1, `${shown}: a counter after it`);
      assert.equal(await redis.command(['PING']), 'PONG', `${shown}: a raw command after it`);
      assert.equal(await redis.get('after'), 'x');
    },
  };
}

/** Cases on `command()`: what it refuses before sending, and the `prefixKeys` option. */
export const rawCommandCases: IntegrationCase[] = defineCases('raw-commands', [
  ...PROBES.map(probeCase),
  {
    slug: 'blocking-runs-on-a-dedicated-connection',
    name: "a raw blocking command (BLPOP k 0, XREAD BLOCK 0) runs on a dedicated connection: the shared one keeps serving, the pop gets the element pushed later, and an abort ends XREAD's wait",
    requires: ['blocking'],
    async run({ redis, prefix }) {
      const popped = redis.command(['BLPOP', 'queue', 0], { prefixKeys: true });
      // The shared connection is not held by the pop: every typed command still answers.
      for (let i = 0; i < 20; i++) assert.equal(await redis.incr('n'), i + 1, 'a counter while BLPOP waits');
      assert.equal(await redis.rpush('queue', 'job-1'), 1);
      assert.deepEqual(await popped, [`${prefix}queue`, 'job-1'], 'BLPOP got the element pushed after it');
      const controller = new AbortController();
      const reading = redis.command(['XREAD', 'BLOCK', 0, 'STREAMS', 'stream', '$'], {
        prefixKeys: true,
        signal: controller.signal,
      });
      assert.equal(await redis.command(['PING']), 'PONG', 'PING while XREAD blocks');
      controller.abort();
      await rejectsWith(reading, RedisAbortedError, 'XREAD BLOCK 0, aborted');
      assert.equal(await redis.get('n'), '20');
    },
  },
  {
    slug: 'refuses-blocking-without-dedicated-connections',
    name: 'where the driver has no dedicated connections, a raw blocking command is refused with RedisCommandRefusedError (reason blocking) and the next command still works',
    async run(ctx) {
      const { redis } = ctx;
      if (redis.capabilities.blocking) {
        ctx.skip(
          `${ctx.adapter.name} has dedicated connections: raw blocking commands run there (raw-commands/blocking-runs-on-a-dedicated-connection)`,
        );
      }
      for (const argv of [
        ['BLPOP', 'kit-queue', 0],
        ['XREAD', 'BLOCK', 0, 'STREAMS', 'kit-stream', '$'],
      ] as const) {
        const error = await rejectsWith(redis.command(argv), RedisCommandRefusedError, argv.join(' '));
        assert.equal(error.reason, 'blocking');
      }
      assert.equal(await redis.command(['PING']), 'PONG');
    },
  },
  {
    slug: 'blocking-timeout-argument-is-checked',
    name: 'a raw blocking command with a missing or negative timeout is refused with RedisValidationError before anything is sent',
    requires: ['blocking'],
    async run({ redis }) {
      await rejectsWith(
        redis.command(['BLPOP', 'kit-queue', -1]),
        RedisValidationError,
        'a negative timeout',
      );
      await rejectsWith(redis.command(['BLPOP', 'kit-queue', 'soon']), RedisValidationError, 'not a number');
      await rejectsWith(
        redis.command(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK']),
        RedisValidationError,
        'BLOCK without a value',
      );
      assert.equal(await redis.command(['PING']), 'PONG');
    },
  },
  {
    slug: 'prefix-keys-at-key-positions',
    name: "command(argv, { prefixKeys: true }) prefixes exactly the command's keys, found from the command table",
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis, prefix }) {
      assert.equal(await redis.command(['SET', 'k', 'v'], { prefixKeys: true }), 'OK');
      assert.equal(await redis.get('k'), 'v', 'SET wrote the prefixed key');
      assert.equal(await redis.command(['MSET', 'a', '1', 'b', '2'], { prefixKeys: true }), 'OK');
      assert.deepEqual(await redis.mget(['a', 'b']), ['1', '2']);
      assert.deepEqual(await redis.command(['MGET', 'a', 'missing', 'b'], { prefixKeys: true }), [
        '1',
        null,
        '2',
      ]);
      await redis.sadd('{s}1', 'x', 'y');
      await redis.sadd('{s}2', 'y', 'z');
      assert.equal(
        await redis.command(['SINTERSTORE', '{s}both', '{s}1', '{s}2'], { prefixKeys: true }),
        1,
        'SINTERSTORE: destination and sources',
      );
      assert.deepEqual(await redis.smembers('{s}both'), ['y']);
      await redis.zadd('{z}1', { m: 1 });
      await redis.zadd('{z}2', { m: 2 });
      assert.deepEqual(
        await redis.command(['ZUNION', 2, '{z}1', '{z}2', 'WITHSCORES'], { prefixKeys: true }),
        ['m', '3'],
        'ZUNION: keys counted by numkeys',
      );
      assert.equal(await redis.command(['GET', `${prefix}k`]), 'v', 'without the option: sent as given');
    },
  },
  {
    slug: 'prefix-keys-refuses-what-it-cannot-locate',
    name: 'prefixKeys refuses, before sending, a command the table does not know and keys it cannot locate',
    async run({ redis }) {
      await rejectsWith(
        redis.command(['NO.SUCH.COMMAND', 'k'], { prefixKeys: true }),
        RedisValidationError,
        'unknown command',
      );
      await rejectsWith(
        redis.command(['ZUNIONSTORE', 'd', 3, 'a', 'b'], { prefixKeys: true }),
        RedisValidationError,
        'more keys counted than given',
      );
      assert.equal(await redis.exists('d'), 0, 'nothing was written');
    },
  },
]);
