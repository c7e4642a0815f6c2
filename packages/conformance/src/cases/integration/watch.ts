import assert from 'node:assert/strict';
import { RedisReplyError, RedisValidationError, type WatchCommit } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { startCaseWorkers } from '../../workers/case-workers.js';
import type { WatchIncrementParams, WatchIncrementResult } from '../../workers/jobs/watch-increment.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';
import { settledError, settledValue } from './support/settled-value.js';
import { unchecked } from './support/unchecked.js';

const WORKERS = 4;
const INCREMENTS_PER_WORKER = 250;

/** Cases on optimistic transactions (WATCH ... MULTI/EXEC) on dedicated connections. */
export const watchCases: IntegrationCase[] = defineCases('watch', [
  {
    slug: 'commits-with-typed-results',
    name: 'watch reads through tx, commits its multi and resolves with one typed result per command',
    requires: ['blocking', 'transactions'],
    async run({ redis }) {
      await redis.set('balance', '100');
      const outcome = await redis.watch(['balance', 'log'], async (tx) => {
        assert.equal(tx.attempt, 1);
        const balance = Number(await tx.get('balance'));
        return tx.multi((m) => [
          m.set('balance', balance - 30),
          m.rpush('log', 'debit 30'),
          m.get('balance'),
        ]);
      });
      assert.equal(outcome.committed, true);
      if (!outcome.committed) return;
      assert.equal(outcome.attempts, 1);
      assert.equal(settledValue(outcome.results[0], 'set'), true);
      assert.equal(settledValue(outcome.results[1], 'rpush'), 1);
      assert.equal(settledValue(outcome.results[2], 'get'), '70');
      assert.equal(await redis.get('balance'), '70');
    },
  },
  {
    slug: 'a-conflict-runs-the-callback-again',
    name: 'a watched key written by another client before EXEC applies nothing, and the callback runs again and commits',
    requires: ['blocking', 'transactions'],
    async run(ctx) {
      const { redis } = ctx;
      const other = await ctx.createService();
      await redis.set('n', '1');
      const seen: string[] = [];
      const outcome = await redis.watch('n', async (tx) => {
        const value = (await tx.get('n')) ?? '';
        seen.push(value);
        if (tx.attempt === 1) await other.set('n', '5');
        return tx.multi((m) => [m.set('n', `${value}!`)]);
      });
      assert.deepEqual(seen, ['1', '5'], "the second attempt read the other client's write");
      assert.equal(outcome.committed && outcome.attempts, 2);
      assert.equal(await redis.get('n'), '5!', "the first attempt's write was never applied");
    },
  },
  {
    slug: 'retries-exhausted-give-a-typed-abort',
    name: 'when every attempt meets a conflict, watch resolves with committed: false after maxRetries + 1 attempts and applied nothing',
    requires: ['blocking', 'transactions'],
    async run(ctx) {
      const { redis } = ctx;
      const other = await ctx.createService();
      await redis.set('n', '0');
      let runs = 0;
      const outcome = await redis.watch(
        'n',
        async (tx) => {
          runs++;
          await tx.get('n');
          await other.incr('n');
          return tx.multi((m) => [m.set('n', 'mine')]);
        },
        { maxRetries: 3 },
      );
      assert.deepEqual(outcome, { committed: false, attempts: 4 });
      assert.equal(runs, 4);
      assert.equal(await redis.get('n'), '4', 'only the other client wrote');
      await rejectsWith(
        redis.watch('n', (tx) => tx.multi((m) => [m.get('n')]), { maxRetries: -1 }),
        RedisValidationError,
        'maxRetries -1',
      );
    },
  },
  {
    slug: 'a-throw-unwatches-and-returns-the-connection',
    name: 'an exception in the callback rejects watch with it, unwatches (a later watch on the same connection is not aborted) and keeps the connection',
    requires: ['blocking', 'transactions'],
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 1 });
      await redis.set('a', '1');
      const failure = new Error('the callback gave up');
      await assert.rejects(
        redis.watch('a', async (tx) => {
          await tx.get('a');
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      // Had 'a' stayed watched, this write would make the next EXEC on that connection return nil.
      await ctx.redis.set('a', '2');
      const outcome = await redis.watch('b', (tx) => tx.multi((m) => [m.set('b', 'x')]));
      assert.equal(outcome.committed && outcome.attempts, 1);
      assert.deepEqual(redis.dedicatedStats, { open: 1, inUse: 0, queued: 0, max: 1 });
      await assert.rejects(
        redis.watch('a', () => unchecked<WatchCommit<[]>>({ not: 'a commit' })),
        RedisValidationError,
        'a callback that returns something else',
      );
      const reused = await redis.watch('a', (tx) => tx.multi((m) => [m.get('a')]));
      assert.equal(reused.committed && settledValue(reused.results[0], 'get'), '2');
    },
  },
  {
    slug: 'bad-input-refuses-the-commit',
    name: 'bad input in the commit rejects watch with RedisValidationError before MULTI is sent, and nothing is written',
    requires: ['blocking', 'transactions'],
    async run({ redis }) {
      await redis.set('k', 'before');
      await rejectsWith(
        redis.watch('k', (tx) => tx.multi((m) => [m.set('k', 'after'), m.set('k2', unchecked(undefined))])),
        RedisValidationError,
        'an undefined value in the commit',
      );
      assert.equal(await redis.get('k'), 'before');
      assert.equal(await redis.get('k2'), null);
      await rejectsWith(
        redis.watch([], (tx) => tx.multi(() => [])),
        RedisValidationError,
        'watch([])',
      );
      await rejectsWith(
        redis.watch('k', (tx) => tx.multi(() => unchecked<[]>('not an array'))),
        RedisValidationError,
        'a multi callback that returns no array',
      );
      const outcome = await redis.watch('k', (tx) => tx.multi((m) => [m.lpush('k', 'x'), m.get('k')]));
      assert.equal(outcome.committed, true, 'a run-time error does not abort a committed transaction');
      if (outcome.committed) {
        const error = settledError(outcome.results[0], RedisReplyError, 'lpush on a string');
        assert.equal(error.prefix, 'WRONGTYPE');
        assert.equal(settledValue(outcome.results[1], 'get'), 'before');
      }
    },
  },
  {
    slug: 'processes-increment-exactly',
    name: `${WORKERS} processes x ${INCREMENTS_PER_WORKER} WATCH-based increments of one key (GET, then MULTI/SET/EXEC) give exactly ${WORKERS * INCREMENTS_PER_WORKER}`,
    requires: ['blocking', 'transactions'],
    timeoutMs: 300_000,
    async run(ctx) {
      // Four processes loading TypeScript on a loaded 2-core machine can take well over 30 s to start.
      const pool = await startCaseWorkers(ctx, WORKERS, { startTimeoutMs: 120_000 });
      const results = await pool.runAll<WatchIncrementResult>('watch/increment', {
        key: 'counter',
        increments: INCREMENTS_PER_WORKER,
        concurrency: 2,
        maxRetries: 10_000,
        startAtMs: Date.now() + 200,
      } satisfies WatchIncrementParams);
      assert.deepEqual(
        results.flatMap((result) => result.errors),
        [],
        'no watch rejected',
      );
      assert.deepEqual(
        results.map((result) => result.committed),
        Array.from({ length: WORKERS }, () => INCREMENTS_PER_WORKER),
        'every increment committed',
      );
      assert.equal(await ctx.redis.get('counter'), String(WORKERS * INCREMENTS_PER_WORKER));
    },
  },
]);
