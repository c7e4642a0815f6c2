import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { RedisAbortedError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';

/** Cases on the inflight limiter as seen through a real driver: the ceiling, FIFO order, aborts. */
export const limiterCases: IntegrationCase[] = defineCases('limiter', [
  {
    slug: 'ceiling-and-fifo-order',
    name: '1,000 concurrent commands never exceed maxInflight 16, all complete, and complete in issue order',
    async run(ctx) {
      const redis = await ctx.createService({ maxInflight: 16 });
      assert.equal(redis.stats.maxInflight, 16);
      const calls = Array.from({ length: 1000 }, () => redis.incr('counter'));
      const results = await Promise.all(calls);
      const outOfOrder = results.findIndex((value, i) => value !== i + 1);
      assert.equal(outOfOrder, -1, `call #${outOfOrder} resolved with ${results[outOfOrder]}`);
      assert.equal(redis.stats.peak, 16, 'the limiter filled to its ceiling and never beyond');
      assert.equal(redis.stats.active, 0);
      assert.equal(redis.stats.queued, 0);
      assert.equal(await redis.get('counter'), '1000');
    },
  },
  {
    slug: 'batches-take-one-permit-each',
    name: 'concurrent pipelines count one permit each and never exceed maxInflight',
    async run(ctx) {
      const redis = await ctx.createService({ maxInflight: 4 });
      const pipelines = Array.from({ length: 50 }, () =>
        redis.pipeline((p) => Array.from({ length: 10 }, () => p.incr('counter'))),
      );
      const results = await Promise.all(pipelines);
      assert.ok(redis.stats.peak <= 4, `peak ${redis.stats.peak}`);
      assert.ok(results.every((batch) => batch.every((result) => result.ok)));
      assert.equal(await redis.get('counter'), '500');
    },
  },
  {
    slug: 'aborted-waiter-takes-no-permit',
    name: 'a command whose AbortSignal fires while it waits for a permit rejects with RedisAbortedError and is never sent',
    async run(ctx) {
      const redis = await ctx.createService({ maxInflight: 1 });
      const key = `${ctx.prefix}counter`;
      // The first command holds the only permit until its reply arrives, so the rest must wait.
      const before = Array.from({ length: 5 }, () => redis.command(['INCR', key]));
      const controller = new AbortController();
      const aborted = redis.command(['INCR', key], { signal: controller.signal });
      const after = Array.from({ length: 5 }, () => redis.command(['INCR', key]));
      assert.ok(redis.stats.queued > 0, 'commands are waiting for the permit');
      controller.abort();
      await rejectsWith(aborted, RedisAbortedError, 'the aborted waiter');
      assert.deepEqual(await Promise.all(before), [1, 2, 3, 4, 5]);
      assert.deepEqual(await Promise.all(after), [6, 7, 8, 9, 10], 'the aborted command was never sent');
      assert.equal(redis.stats.active, 0, 'no permit leaked');
      assert.equal(redis.stats.peak, 1);
      assert.equal(await redis.get('counter'), '10');
    },
  },
  {
    slug: 'shared-signal-one-listener',
    name: 'one AbortSignal shared by 200 commands (queued and in flight) carries one listener, prints no MaxListenersExceededWarning, and aborting it settles every command',
    async run(ctx) {
      const redis = await ctx.createService({ maxInflight: 8 });
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      ctx.defer(() => {
        process.off('warning', onWarning);
      });
      const key = `${ctx.prefix}counter`;
      const shared = new AbortController();
      const completed = await Promise.all(
        Array.from({ length: 200 }, () => redis.command(['INCR', key], { signal: shared.signal })),
      );
      assert.equal(completed.length, 200);
      const aborted = new AbortController();
      const calls = Array.from({ length: 200 }, () =>
        redis.command(['INCR', key], { signal: aborted.signal }).then(
          () => 'done',
          (error: unknown) => (error instanceof RedisAbortedError ? 'aborted' : error),
        ),
      );
      assert.ok(
        getEventListeners(aborted.signal, 'abort').length <= 1,
        `the shared signal carries ${getEventListeners(aborted.signal, 'abort').length} listeners`,
      );
      aborted.abort();
      const outcomes = await Promise.all(calls);
      const unexpected = outcomes.filter((outcome) => outcome !== 'done' && outcome !== 'aborted');
      assert.deepEqual(unexpected, [], 'every command completed or rejected with RedisAbortedError');
      assert.ok(outcomes.includes('aborted'), 'the queued commands were aborted');
      await new Promise((resolve) => setImmediate(resolve));
      const leaks = warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning');
      assert.deepEqual(
        leaks.map((warning) => warning.message),
        [],
        'no MaxListenersExceededWarning',
      );
      assert.equal(redis.stats.active, 0, 'no permit leaked');
      assert.equal(redis.stats.queued, 0);
    },
  },
]);
