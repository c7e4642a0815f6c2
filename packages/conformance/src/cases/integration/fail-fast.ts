import assert from 'node:assert/strict';
import { RedisConnectionError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { deadUrl } from './support/dead-url.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';

/** The bound: a refused connection must surface within a second, not after retries or a timeout. */
const FAIL_FAST_MS = 1000;

/** Starts `call` now and measures from this moment to when it settles. */
function timed<T>(call: () => Promise<T>): { result: Promise<T>; elapsedMs: () => number } {
  const started = performance.now();
  let ended: number | undefined;
  const result = call().finally(() => {
    ended = performance.now();
  });
  result.catch(() => {});
  return { result, elapsedMs: () => (ended ?? performance.now()) - started };
}

/** Cases on a server that is not there: commands fail fast with `RedisConnectionError`. */
export const failFastCases: IntegrationCase[] = defineCases('fail-fast', [
  {
    slug: 'refused-connection-rejects-fast',
    name: `a command to a closed port rejects with RedisConnectionError in under ${FAIL_FAST_MS} ms`,
    async run(ctx) {
      const redis = await ctx.createService({ url: await deadUrl(ctx.url) });
      const first = timed(() => redis.get('k'));
      await rejectsWith(first.result, RedisConnectionError, 'get on a closed port');
      assert.ok(first.elapsedMs() < FAIL_FAST_MS, `took ${Math.round(first.elapsedMs())} ms`);
      const second = timed(() => redis.set('k', 'v'));
      await rejectsWith(second.result, RedisConnectionError, 'a second command on a closed port');
      assert.ok(second.elapsedMs() < FAIL_FAST_MS, `the second took ${Math.round(second.elapsedMs())} ms`);
    },
  },
  {
    slug: 'refused-connection-fails-a-pipeline-fast',
    name: `a pipeline to a closed port fails with RedisConnectionError in under ${FAIL_FAST_MS} ms`,
    async run(ctx) {
      const redis = await ctx.createService({ url: await deadUrl(ctx.url) });
      const batch = timed(() => redis.pipeline((p) => [p.set('k', 'v'), p.get('k')]));
      // The port lets a driver reject the whole batch or settle each command with the error.
      let outcomes: readonly unknown[];
      try {
        outcomes = (await batch.result).map((result) => (result.ok ? result.value : result.error));
      } catch (error) {
        outcomes = [error];
      }
      assert.ok(
        outcomes.every((outcome) => outcome instanceof RedisConnectionError),
        `expected RedisConnectionError, got ${outcomes.map((outcome) => (outcome instanceof Error ? outcome.name : String(outcome))).join(', ')}`,
      );
      assert.ok(batch.elapsedMs() < FAIL_FAST_MS, `took ${Math.round(batch.elapsedMs())} ms`);
    },
  },
]);
