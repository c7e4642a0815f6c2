import assert from 'node:assert/strict';
import { RedisClosedError, type RedisService } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';
import { type Settlement, settleWithin } from './support/settle-within.js';

/** No command may outlive close() by more than this. */
const GUARD_MS = 5000;

function isClosedRejection(outcome: Settlement): boolean {
  return outcome.status === 'rejected' && outcome.error instanceof RedisClosedError;
}

function describeSettlement(outcome: Settlement): string {
  if (outcome.status === 'hung') return `still pending after ${GUARD_MS} ms`;
  if (outcome.status === 'resolved') return 'resolved';
  const { error } = outcome;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Cases on closing: in-flight and waiting commands settle, later ones are refused, close is idempotent. */
export const closeCases: IntegrationCase[] = defineCases('close', [
  {
    slug: 'in-flight-commands-settle',
    name: 'close() with 200 commands in flight settles every one, waiting ones with RedisClosedError',
    async run(ctx) {
      const redis = await ctx.createService({ maxInflight: 4 });
      const calls = Array.from({ length: 200 }, () => redis.incr('counter'));
      // Let a few finish so the close meets commands in every state: done, in flight and waiting.
      await settleWithin(calls[0]!, GUARD_MS);
      const waiting = redis.stats.queued;
      const closing = settleWithin(redis.close(), GUARD_MS);
      const outcomes = await Promise.all(calls.map((call) => settleWithin(call, GUARD_MS)));
      const unexpected = outcomes
        .map((outcome, i) => ({ outcome, i }))
        .filter(({ outcome }) => outcome.status !== 'resolved' && !isClosedRejection(outcome));
      assert.deepEqual(
        unexpected.map(({ outcome, i }) => `#${i}: ${describeSettlement(outcome)}`),
        [],
        'every command resolves or rejects with RedisClosedError',
      );
      const closed = outcomes.filter(isClosedRejection).length;
      assert.ok(waiting > 0, 'some commands were still waiting for a permit when close() ran');
      assert.ok(closed >= waiting, `${waiting} were waiting, only ${closed} rejected with RedisClosedError`);
      const closeOutcome = await closing;
      assert.equal(closeOutcome.status, 'resolved', `close(): ${describeSettlement(closeOutcome)}`);
    },
  },
  {
    slug: 'commands-after-close-reject',
    name: 'every kind of call after close() rejects with RedisClosedError',
    async run(ctx) {
      const redis = await ctx.createService();
      await redis.set('k', 'v');
      await redis.close();
      assert.equal(redis.closed, true);
      await rejectsWith(redis.get('k'), RedisClosedError, 'get');
      await rejectsWith(redis.set('k', 'w'), RedisClosedError, 'set');
      await rejectsWith(redis.command(['PING']), RedisClosedError, 'command');
      await rejectsWith(redis.msetJson({ a: 1 }), RedisClosedError, 'msetJson');
      await rejectsWith(
        redis.pipeline((p) => [p.get('k')]),
        RedisClosedError,
        'pipeline',
      );
      await rejectsWith(redis.scan().next(), RedisClosedError, 'scan');
      if (redis.capabilities.transactions) {
        await rejectsWith(
          redis.transaction((t) => [t.get('k')]),
          RedisClosedError,
          'transaction',
        );
      }
      assert.equal(await ctx.redis.get('k'), 'v', 'the value written before close is there');
    },
  },
  {
    slug: 'close-is-idempotent',
    name: 'close() may be called again, and concurrently, and always resolves',
    async run(ctx) {
      const redis = await ctx.createService();
      await redis.set('k', 'v');
      const [first, second] = await Promise.all([
        settleWithin(redis.close(), GUARD_MS),
        settleWithin(redis.close(), GUARD_MS),
      ]);
      assert.equal(first?.status, 'resolved', 'the first close');
      assert.equal(second?.status, 'resolved', 'a concurrent close');
      assert.equal((await settleWithin(redis.close(), GUARD_MS)).status, 'resolved', 'a later close');
    },
  },
  {
    slug: 'driver-close-is-final',
    name: 'a closed driver rejects send and batch with RedisClosedError and closes again without error',
    async run(ctx) {
      const driver = await ctx.createDriver();
      assert.equal(await driver.send(['PING']), 'PONG');
      await driver.close();
      await rejectsWith(driver.send(['PING']), RedisClosedError, 'send after close');
      await rejectsWith(
        driver.batch([['PING']], { transaction: false }),
        RedisClosedError,
        'batch after close',
      );
      assert.equal((await settleWithin(driver.close(), GUARD_MS)).status, 'resolved', 'a second close');
    },
  },
  {
    slug: 'await-using-closes',
    name: '`await using` closes the service at the end of its scope',
    async run(ctx) {
      let escaped: RedisService | undefined;
      {
        await using redis = await ctx.createService();
        escaped = redis;
        await redis.set('k', 'v');
        assert.equal(redis.closed, false);
      }
      assert.equal(escaped.closed, true);
      await rejectsWith(escaped.get('k'), RedisClosedError, 'get after the scope ended');
      assert.equal(await ctx.redis.get('k'), 'v');
    },
  },
]);
