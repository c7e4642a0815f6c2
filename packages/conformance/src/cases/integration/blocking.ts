import assert from 'node:assert/strict';
import {
  RedisAbortedError,
  RedisCapabilityError,
  RedisClosedError,
  RedisConnectionError,
  RedisReplyError,
  RedisValidationError,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { abortRace } from './support/abort-race.js';
import { blockedClients } from './support/blocked-clients.js';
import { deadUrl } from './support/dead-url.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { rejectsWith } from './support/rejects-with.js';
import { settleWithin } from './support/settle-within.js';
import { unchecked } from './support/unchecked.js';

/** A hang guard only: nothing here is timed. */
const GUARD_MS = 15_000;
const ABORT_ROUNDS = 2000;
const ABORT_LANES = 4;

async function waitForBlocked(ctx: { redis: import('@redis-service/core').RedisService }, count: number) {
  await eventually(
    async () => (await blockedClients(ctx.redis)) >= count,
    `${count} commands blocked on the server`,
    {
      timeoutMs: GUARD_MS,
    },
  );
}

/** Cases on blocking commands, which run on the service's dedicated connections. */
export const blockingCases: IntegrationCase[] = defineCases('blocking', [
  {
    slug: 'pops-return-typed-replies',
    name: 'blpop, brpop, blmove, blmpop, bzpopmin, bzpopmax and bzmpop take what is there, with unprefixed keys and typed replies',
    requires: ['blocking'],
    async run({ redis }) {
      await redis.rpush('l', 'a', 'b', 'c', 'd', 'e');
      assert.deepEqual(await redis.blpop(['missing', 'l'], 1), { key: 'l', element: 'a' });
      assert.deepEqual(await redis.brpop('l', 1), { key: 'l', element: 'e' });
      assert.equal(await redis.blmove('l', 'other', 'LEFT', 'RIGHT', 1), 'b');
      assert.deepEqual(await redis.lrange('other', 0, -1), ['b']);
      assert.deepEqual(await redis.blmpop(['missing', 'l'], 'RIGHT', 1, { count: 5 }), {
        key: 'l',
        elements: ['d', 'c'],
      });
      await redis.zadd('z', { low: 1, mid: 2.5, high: 10, top: 11 });
      assert.deepEqual(await redis.bzpopmin('z', 1), { key: 'z', member: 'low', score: 1 });
      assert.deepEqual(await redis.bzpopmax(['missing', 'z'], 1), { key: 'z', member: 'top', score: 11 });
      assert.deepEqual(await redis.bzmpop('z', 'MIN', 1, { count: 2 }), {
        key: 'z',
        members: [
          { member: 'mid', score: 2.5 },
          { member: 'high', score: 10 },
        ],
      });
      assert.equal(
        await redis.command(['EXISTS', `${redis.keyPrefix}z`]),
        0,
        'the emptied sorted set is gone',
      );
    },
  },
  {
    slug: 'server-timeout-resolves-null',
    name: 'every blocking pop resolves with null once its server-side timeout passed, also when that is longer than the command timeout',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const { redis } = ctx;
      assert.equal(await redis.blpop('empty', 0.05), null);
      assert.equal(await redis.brpop(['empty', 'empty2'], 0.05), null);
      assert.equal(await redis.blmove('empty', 'dst', 'RIGHT', 'LEFT', 0.05), null);
      assert.equal(await redis.blmpop('empty', 'LEFT', 0.05), null);
      assert.equal(await redis.bzpopmin('emptyz', 0.05), null);
      assert.equal(await redis.bzpopmax('emptyz', 0.05), null);
      assert.equal(await redis.bzmpop('emptyz', 'MAX', 0.05, { count: 3 }), null);
      assert.equal(redis.dedicatedStats.open, 1, 'one after the other, the pops reused one connection');
      // The deadline is the server timeout plus the command timeout as a margin, not the command timeout.
      const short = await ctx.createService({ commandTimeoutMs: 1500 });
      assert.equal(await short.blpop('empty', 2), null);
      assert.equal(await short.command(['PING']), 'PONG');
    },
  },
  {
    slug: 'pops-never-delay-the-shared-connection',
    name: 'while 4 pops block, 500 GETs on the same service complete, and the pops still get their elements after',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 4 });
      const baseline = await blockedClients(ctx.redis);
      let settled = 0;
      const pops = [0, 1, 2, 3].map((i) => {
        const pop = redis.blpop(`q${i}`, 0);
        pop.then(
          () => settled++,
          () => settled++,
        );
        return pop;
      });
      await waitForBlocked(ctx, baseline + 4);
      assert.equal(redis.dedicatedStats.inUse, 4);
      await redis.set('k', 'v');
      const gets = await settleWithin(
        Promise.all(Array.from({ length: 500 }, () => redis.get('k'))),
        GUARD_MS,
      );
      assert.equal(gets.status, 'resolved', 'the GETs completed while the pops blocked');
      const values = (gets as { value: unknown[] }).value;
      assert.equal(values.filter((value) => value === 'v').length, 500);
      assert.equal(settled, 0, 'no pop ended: they were still blocked');
      assert.ok(
        (await blockedClients(ctx.redis)) >= baseline + 4,
        'the pops are still blocked on the server',
      );
      for (const i of [0, 1, 2, 3]) await ctx.redis.rpush(`q${i}`, `e${i}`);
      assert.deepEqual(
        await Promise.all(pops),
        [0, 1, 2, 3].map((i) => ({ key: `q${i}`, element: `e${i}` })),
      );
    },
  },
  {
    slug: 'abort-never-loses-an-element',
    name: `${ABORT_ROUNDS} pops aborted at every moment around a push: every element is popped by its caller or left in the list, none twice`,
    requires: ['blocking'],
    timeoutMs: 180_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: ABORT_LANES });
      const counts = await abortRace(redis, ctx.redis, 'q', ABORT_ROUNDS, ABORT_LANES);
      assert.deepEqual(
        counts.unexpected,
        [],
        'every pop delivered an element or rejected with RedisAbortedError',
      );
      const all = [...counts.popped, ...counts.left];
      assert.equal(
        all.length,
        counts.pushed,
        `pushed ${counts.pushed} = popped ${counts.popped.length} + left ${counts.left.length}`,
      );
      assert.equal(new Set(all).size, counts.pushed, 'no element twice');
      assert.ok(counts.aborted > 0, 'some aborts ended a wait');
      assert.ok(counts.popped.length > 0, 'some pops got an element');
      assert.equal(await redis.command(['PING']), 'PONG');
    },
  },
  {
    slug: 'close-with-pops-waiting',
    name: 'close() with pops blocked and queued ends every one with RedisClosedError or the element it took, and loses none pushed meanwhile',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 3 });
      const baseline = await blockedClients(ctx.redis);
      const pops = Array.from({ length: 5 }, () => settleWithin(redis.blpop('q', 0), GUARD_MS));
      await waitForBlocked(ctx, baseline + 3);
      await eventually(async () => redis.dedicatedStats.queued === 2, 'two pops wait for a connection');
      const pushes = Promise.all([ctx.redis.rpush('q', 'a'), ctx.redis.rpush('q', 'b')]);
      const closing = settleWithin(redis.close(), GUARD_MS);
      const outcomes = await Promise.all(pops);
      await pushes;
      assert.equal((await closing).status, 'resolved', 'close() resolved');
      const delivered: string[] = [];
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'resolved') {
          const value = outcome.value as { element: string } | null;
          assert.ok(value, `pop ${i} resolved with an element, not null`);
          delivered.push(value.element);
        } else {
          assert.equal(outcome.status, 'rejected', `pop ${i} settled`);
          const { error } = outcome as { error: unknown };
          assert.ok(error instanceof RedisClosedError, `pop ${i}: ${String(error)}`);
        }
      }
      const left = await ctx.redis.lrange('q', 0, -1);
      assert.deepEqual(
        [...delivered, ...left].sort(),
        ['a', 'b'],
        'each pushed element was delivered or is in the list',
      );
      await eventually(
        async () => (await blockedClients(ctx.redis)) <= baseline,
        'no pop is left blocked on the server',
      );
      await rejectsWith(redis.blpop('q', 1), RedisClosedError, 'a pop after close');
    },
  },
  {
    slug: 'pool-queues-fifo',
    name: 'with every dedicated connection in use, pops wait first come first served, and an abort while waiting leaves the queue',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 1 });
      const baseline = await blockedClients(ctx.redis);
      const hold = redis.blpop('hold', 0);
      await waitForBlocked(ctx, baseline + 1);
      const waiters = [0, 1, 2, 3, 4].map(() => {
        const controller = new AbortController();
        return {
          controller,
          pop: settleWithin(redis.blpop('q', 0, { signal: controller.signal }), GUARD_MS),
        };
      });
      await eventually(
        async () => redis.dedicatedStats.queued === 5,
        'five pops wait for the one connection',
      );
      waiters[2]!.controller.abort();
      const abortedOutcome = await waiters[2]!.pop;
      assert.equal(abortedOutcome.status, 'rejected');
      assert.ok((abortedOutcome as { error: unknown }).error instanceof RedisAbortedError);
      assert.equal(redis.dedicatedStats.queued, 4, 'the aborted caller left the queue');
      await ctx.redis.rpush('q', 'e0', 'e1', 'e2', 'e3');
      await ctx.redis.rpush('hold', 'h');
      assert.deepEqual(await hold, { key: 'hold', element: 'h' });
      const elements = await Promise.all(
        [0, 1, 3, 4].map(async (i) => {
          const outcome = await waiters[i]!.pop;
          assert.equal(outcome.status, 'resolved', `waiter ${i}`);
          return (outcome as { value: { element: string } }).value.element;
        }),
      );
      assert.deepEqual(elements, ['e0', 'e1', 'e2', 'e3'], 'served in the order they asked');
      assert.deepEqual(redis.dedicatedStats, { open: 1, inUse: 0, queued: 0, max: 1 });
    },
  },
  {
    slug: 'reply-error-keeps-the-connection',
    name: 'a pop on a key of the wrong type rejects with RedisReplyError and its connection serves the next pop',
    requires: ['blocking'],
    async run(ctx) {
      const redis = await ctx.createService();
      await redis.set('text', 'x');
      const error = await rejectsWith(redis.blpop('text', 1), RedisReplyError, 'blpop on a string');
      assert.equal(error.prefix, 'WRONGTYPE');
      await redis.rpush('l', 'a');
      assert.deepEqual(await redis.blpop('l', 1), { key: 'l', element: 'a' });
      assert.equal(redis.dedicatedStats.open, 1, 'the same connection served both');
    },
  },
  {
    slug: 'lost-connection-fails-the-pop',
    name: 'a dedicated connection killed on the server fails its pop with RedisConnectionError, and the next pop opens a new one',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      if (!ctx.restartServer)
        ctx.skip('the run did not start its own server, so it may not kill clients on it');
      const redis = await ctx.createService();
      const pop = settleWithin(redis.blpop('q', 0), GUARD_MS);
      await waitForBlocked(ctx, 1);
      const list = await ctx.redis.command(['CLIENT', 'LIST', 'TYPE', 'normal']);
      const ids = String(list)
        .split('\n')
        .filter((line) => / cmd=blpop /.test(line))
        .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1]);
      assert.equal(ids.length, 1, 'one blocked BLPOP on the server');
      await ctx.redis.command(['CLIENT', 'KILL', 'ID', ids[0]!]);
      const outcome = await pop;
      assert.equal(outcome.status, 'rejected');
      const { error } = outcome as { error: unknown };
      assert.ok(error instanceof RedisConnectionError, `got ${String(error)}`);
      await eventually(async () => redis.dedicatedStats.open === 0, 'the lost connection left the pool');
      await ctx.redis.rpush('q', 'a');
      assert.deepEqual(await redis.blpop('q', 1), { key: 'q', element: 'a' });
      assert.equal(redis.dedicatedStats.open, 1);
    },
  },
  {
    slug: 'refused-connection-fails-the-pop',
    name: 'a pop whose dedicated connection cannot be opened rejects with RedisConnectionError and holds no place in the pool',
    requires: ['blocking'],
    async run(ctx) {
      const redis = await ctx.createService({ url: await deadUrl(ctx.url), maxDedicatedConnections: 1 });
      for (const attempt of [1, 2]) {
        const outcome = await settleWithin(redis.blpop('q', 0), GUARD_MS);
        assert.equal(outcome.status, 'rejected', `pop ${attempt} settled`);
        const { error } = outcome as { error: unknown };
        assert.ok(error instanceof RedisConnectionError, `pop ${attempt}: ${String(error)}`);
      }
      assert.deepEqual(redis.dedicatedStats, { open: 0, inUse: 0, queued: 0, max: 1 });
    },
  },
  {
    slug: 'bad-input-is-refused-before-anything-is-sent',
    name: 'no key, a negative or NaN timeout, a bad end, a zero count or an empty key list reject with RedisValidationError, no connection opened',
    requires: ['blocking'],
    async run(ctx) {
      const redis = await ctx.createService();
      await rejectsWith(redis.blpop([], 1), RedisValidationError, 'blpop([])');
      await rejectsWith(redis.blpop('', 1), RedisValidationError, "blpop('')");
      await rejectsWith(redis.brpop('l', -1), RedisValidationError, 'a negative timeout');
      await rejectsWith(redis.bzpopmin('z', Number.NaN), RedisValidationError, 'a NaN timeout');
      await rejectsWith(
        redis.bzpopmax('z', Number.POSITIVE_INFINITY),
        RedisValidationError,
        'an infinite timeout',
      );
      await rejectsWith(
        redis.blmove('a', 'b', unchecked('UP'), 'LEFT', 1),
        RedisValidationError,
        'blmove from UP',
      );
      await rejectsWith(redis.blmpop('l', 'LEFT', 1, { count: 0 }), RedisValidationError, 'count 0');
      await rejectsWith(redis.bzmpop('z', unchecked('MID'), 1), RedisValidationError, 'bzmpop MID');
      await rejectsWith(redis.blpop(unchecked(undefined), 1), RedisValidationError, 'blpop(undefined)');
      assert.equal(redis.dedicatedStats.open, 0, 'no dedicated connection was opened');
    },
  },
  {
    slug: 'without-the-capability-a-typed-error',
    name: 'a driver without the blocking capability refuses blocking pops and watch with RedisCapabilityError before sending',
    async run({ redis, skip }) {
      if (redis.capabilities.blocking)
        skip('the adapter declares blocking: the rest of this group runs instead');
      const error = await rejectsWith(redis.blpop('q', 1), RedisCapabilityError, 'blpop');
      assert.equal(error.capability, 'blocking');
      await rejectsWith(redis.bzmpop('z', 'MIN', 0), RedisCapabilityError, 'bzmpop');
      await rejectsWith(
        redis.watch('k', (tx) => tx.multi((m) => [m.get('k')])),
        RedisCapabilityError,
        'watch',
      );
    },
  },
]);
