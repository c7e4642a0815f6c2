import assert from 'node:assert/strict';
import { RedisConnectionError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { completesWithin } from './support/completes-within.js';
import { deadUrl } from './support/dead-url.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';

/**
 * The command deadline of these cases (service and driver). A driver that retries a refused
 * connection until the deadline gives a `RedisTimeoutError` instead of `RedisConnectionError`, so
 * the error class, not a stopwatch, tells a fast failure from a slow one.
 */
const DEADLINE_MS = 15_000;
/** Only a hang guard, above the deadline: a call that never settles fails here. */
const HANG_GUARD_MS = 2 * DEADLINE_MS;
const NEVER_SETTLES = 'a refused connection must fail the call, not leave it waiting';

/** Cases on a server that is not there: commands fail with `RedisConnectionError`, before any deadline. */
export const failFastCases: IntegrationCase[] = defineCases('fail-fast', [
  {
    slug: 'refused-connection-rejects-fast',
    name: 'a command to a closed port rejects with RedisConnectionError, not a timeout (the driver does not retry until the deadline), and so does the next one',
    timeoutMs: 3 * DEADLINE_MS,
    async run(ctx) {
      const redis = await ctx.createService({ url: await deadUrl(ctx.url), commandTimeoutMs: DEADLINE_MS });
      await completesWithin(
        rejectsWith(redis.get('k'), RedisConnectionError, 'get on a closed port'),
        HANG_GUARD_MS,
        'get on a closed port',
        NEVER_SETTLES,
      );
      await completesWithin(
        rejectsWith(redis.set('k', 'v'), RedisConnectionError, 'a second command on a closed port'),
        HANG_GUARD_MS,
        'a second command on a closed port',
        NEVER_SETTLES,
      );
    },
  },
  {
    slug: 'refused-connection-fails-a-pipeline-fast',
    name: 'a pipeline to a closed port fails with RedisConnectionError, not a timeout',
    timeoutMs: 3 * DEADLINE_MS,
    async run(ctx) {
      const redis = await ctx.createService({ url: await deadUrl(ctx.url), commandTimeoutMs: DEADLINE_MS });
      // The port lets a driver reject the whole batch or settle each command with the error.
      const outcomes = await completesWithin(
        redis
          .pipeline((p) => [p.set('k', 'v'), p.get('k')])
          .then(
            (results): readonly unknown[] =>
              results.map((result) => (result.ok ? result.value : result.error)),
            (error: unknown): readonly unknown[] => [error],
          ),
        HANG_GUARD_MS,
        'a pipeline on a closed port',
        NEVER_SETTLES,
      );
      assert.ok(
        outcomes.every((outcome) => outcome instanceof RedisConnectionError),
        `expected RedisConnectionError, got ${outcomes.map((outcome) => (outcome instanceof Error ? outcome.name : String(outcome))).join(', ')}`,
      );
    },
  },
]);
