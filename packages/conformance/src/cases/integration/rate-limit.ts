import assert from 'node:assert/strict';
import {
  type RateLimitOptions,
  type RateLimitResult,
  RedisReplyError,
  type RedisService,
  RedisValidationError,
  rateLimitKeys,
} from '@redis-service/core';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { startCaseWorkers } from '../../workers/case-workers.js';
import type { RateLimitBurstParams, RateLimitBurstResult } from '../../workers/jobs/rate-limit-burst.js';
import { type CaseSpec, defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';

const HOUR_MS = 3_600_000;
const WORKERS = 4;
const CHECKS_PER_WORKER = 250;
const EXACT_LIMIT = 100;
/** Generous: on a loaded machine a check may take a while, and a late check must never pass early. */
const RETRY_MARGIN_MS = 150;

async function redisNowMs(redis: RedisService): Promise<number> {
  const reply = await redis.command(['TIME']);
  assert.ok(Array.isArray(reply) && reply.length === 2, 'TIME answers [seconds, microseconds]');
  return Number(reply[0]) * 1000 + Math.floor(Number(reply[1]) / 1000);
}

/**
 * A fixed-window length (about an hour) whose current window still has at least two minutes to
 * run on Redis's clock, so a case never straddles a boundary (which would legitimately reset the count).
 */
async function safeFixedWindowMs(redis: RedisService): Promise<number> {
  const now = await redisNowMs(redis);
  for (let windowMs = HOUR_MS; ; windowMs += 7_919) {
    if (windowMs - (now % windowMs) > 120_000) return windowMs;
  }
}

/** Options of each algorithm for a limit of `limit` that does not refill during a case. */
async function steadyOptions(redis: RedisService, limit: number): Promise<Record<string, RateLimitOptions>> {
  return {
    'sliding-window': { algorithm: 'sliding-window', limit, windowMs: HOUR_MS },
    // A fresh key in a window with minutes left: the previous window is empty, so the counter is exact.
    'sliding-window-counter': {
      algorithm: 'sliding-window-counter',
      limit,
      windowMs: await safeFixedWindowMs(redis),
    },
    'fixed-window': { algorithm: 'fixed-window', limit, windowMs: await safeFixedWindowMs(redis) },
    gcra: { algorithm: 'gcra', rate: 1, periodMs: HOUR_MS, burst: limit },
  };
}

function assertIntegers(result: RateLimitResult, what: string): void {
  for (const field of ['limit', 'remaining', 'resetAtMs', 'retryAfterMs'] as const) {
    assert.ok(Number.isSafeInteger(result[field]), `${what}: ${field} is an integer, got ${result[field]}`);
  }
}

function exactnessCase(algorithm: RateLimitOptions['algorithm']): CaseSpec {
  return {
    slug: `${algorithm}-exact-across-processes`,
    name: `${WORKERS} processes x ${CHECKS_PER_WORKER} concurrent ${algorithm} checks of one key with limit ${EXACT_LIMIT} allow exactly ${EXACT_LIMIT}`,
    requires: ['scripting'],
    timeoutMs: 90_000,
    async run(ctx: IntegrationContext) {
      const options = (await steadyOptions(ctx.redis, EXACT_LIMIT))[algorithm];
      assert.ok(options);
      const pool = await startCaseWorkers(ctx, WORKERS);
      const startAtMs = Date.now() + 200;
      const results = await pool.runAll<RateLimitBurstResult>('rate-limit/burst', {
        key: 'exact',
        options,
        concurrency: CHECKS_PER_WORKER,
        startAtMs,
      } satisfies RateLimitBurstParams);
      const errors = results.flatMap((result) => result.errors);
      assert.deepEqual(errors, [], 'no check failed');
      const allowed = results.reduce((sum, result) => sum + result.allowed, 0);
      const denied = results.reduce((sum, result) => sum + result.denied, 0);
      assert.equal(
        allowed,
        EXACT_LIMIT,
        `allowed per worker: ${results.map((result) => result.allowed).join(', ')}`,
      );
      assert.equal(denied, WORKERS * CHECKS_PER_WORKER - EXACT_LIMIT);
      const after = await ctx.redis.checkRateLimit('exact', options);
      assert.equal(after.allowed, false, 'the limit stays used up');
      assert.equal(after.remaining, 0);
      assert.ok(after.retryAfterMs > 0);
    },
  };
}

/**
 * Checks until one is denied (a short window may roll over mid-burst on a slow machine, so the
 * number of allowed checks before the first denial is not fixed), then waits `retryAfterMs`.
 */
function retryAfterCase(options: RateLimitOptions, maxRetryAfterMs: number): CaseSpec {
  return {
    slug: `${options.algorithm}-retry-after`,
    name: `${options.algorithm}: after a denial, waiting retryAfterMs (plus a margin) makes the same check allowed`,
    requires: ['scripting'],
    timeoutMs: 30_000,
    async run(ctx: IntegrationContext) {
      let denied: RateLimitResult | undefined;
      for (let i = 0; i < 100 && !denied; i++) {
        const result = await ctx.redis.checkRateLimit('retry', options);
        assertIntegers(result, `check #${i + 1}`);
        if (result.allowed) assert.equal(result.retryAfterMs, 0, 'an allowed check has nothing to wait for');
        else denied = result;
      }
      assert.ok(denied, 'a burst of checks meets a denial');
      assert.equal(denied.remaining, 0);
      assert.ok(
        denied.retryAfterMs > 0 && denied.retryAfterMs <= maxRetryAfterMs,
        `retryAfterMs ${denied.retryAfterMs} in (0, ${maxRetryAfterMs}]`,
      );
      await new Promise((resolve) => setTimeout(resolve, denied.retryAfterMs + RETRY_MARGIN_MS));
      const later = await ctx.redis.checkRateLimit('retry', options);
      assert.equal(later.allowed, true, `allowed again after waiting ${denied.retryAfterMs} ms`);
    },
  };
}

/**
 * The counter's guarantees, checked from its own replies across window boundaries (no timing is
 * asserted): an allowed check's `resetAtMs` names its window (the end of the next one), so the
 * allowed checks can be grouped by window. Then: never more than `limit` in one window; with an
 * empty previous window the estimate is exact (`remaining` = limit - counted); with a non-empty
 * one the previous window weighs in (`remaining` < limit - counted) but by no more than what it
 * admitted (`remaining` >= limit - counted - previous), which is the documented bound.
 */
function counterBoundCase(): CaseSpec {
  const limit = 4;
  const windowMs = 400;
  return {
    slug: 'sliding-window-counter-bound',
    name: `sliding-window-counter across window boundaries: at most the limit per window, the previous window weighted by at most what it admitted`,
    requires: ['scripting'],
    timeoutMs: 60_000,
    async run(ctx: IntegrationContext) {
      const options: RateLimitOptions = { algorithm: 'sliding-window-counter', limit, windowMs };
      // Allowed checks per window end (resetAtMs), in order; denied checks only counted.
      const byWindow = new Map<number, RateLimitResult[]>();
      let denied = 0;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const result = await ctx.redis.checkRateLimit('bound', options);
        assertIntegers(result, 'a counter check');
        if (result.allowed)
          byWindow.set(result.resetAtMs, [...(byWindow.get(result.resetAtMs) ?? []), result]);
        else {
          denied++;
          assert.ok(
            result.retryAfterMs > 0 && result.retryAfterMs <= 2 * windowMs,
            `retryAfterMs ${result.retryAfterMs}`,
          );
        }
        const windows = [...byWindow.keys()];
        const followed = windows.filter((end) => byWindow.has(end - windowMs)).length;
        if (followed >= 2 && denied > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      assert.ok(denied > 0, 'some checks were denied (the case saw full windows)');
      let weighed = 0;
      for (const [end, allowed] of byWindow) {
        assert.equal(end % windowMs, 0, 'windows are aligned on Redis’s clock');
        assert.ok(allowed.length <= limit, `window ending ${end}: ${allowed.length} allowed, limit ${limit}`);
        const previous = byWindow.get(end - windowMs)?.length ?? 0;
        allowed.forEach((result, index) => {
          const counted = index + 1;
          if (previous === 0) {
            assert.equal(
              result.remaining,
              limit - counted,
              'with an empty previous window the estimate is exact',
            );
          } else {
            weighed++;
            assert.ok(result.remaining < limit - counted, 'the previous window weighs in');
            assert.ok(
              result.remaining >= Math.max(0, limit - counted - previous),
              `by no more than it admitted: remaining ${result.remaining}, counted ${counted}, previous ${previous}`,
            );
          }
        });
      }
      assert.ok(weighed > 0, 'some checks followed a window that had admitted units');
    },
  };
}

/** Cases on `checkRateLimit` (sliding-window log and counter, fixed window, GCRA) against a real server. */
export const rateLimitCases: IntegrationCase[] = defineCases('rate-limit', [
  exactnessCase('sliding-window'),
  exactnessCase('sliding-window-counter'),
  exactnessCase('fixed-window'),
  exactnessCase('gcra'),
  retryAfterCase({ algorithm: 'sliding-window', limit: 3, windowMs: 1_000 }, 1_000),
  // The counter's wait may run into the next window, until its weight of this one has fallen enough.
  retryAfterCase({ algorithm: 'sliding-window-counter', limit: 3, windowMs: 1_000 }, 2_000),
  retryAfterCase({ algorithm: 'fixed-window', limit: 3, windowMs: 1_000 }, 1_000),
  counterBoundCase(),
  // 2 per second: one unit comes back every 500 ms.
  retryAfterCase({ algorithm: 'gcra', rate: 2, periodMs: 1_000, burst: 3 }, 500),
  {
    slug: 'cost-and-denied-not-counted',
    name: 'a call takes `cost` units, and a denied call (cost above what remains) changes nothing, for every algorithm',
    requires: ['scripting'],
    async run(ctx) {
      for (const [algorithm, options] of Object.entries(await steadyOptions(ctx.redis, 5))) {
        const key = `cost-${algorithm}`;
        const first = await ctx.redis.checkRateLimit(key, { ...options, cost: 3 });
        assert.deepEqual(
          [first.allowed, first.limit, first.remaining],
          [true, 5, 2],
          `${algorithm}: cost 3 of 5`,
        );
        const tooMuch = await ctx.redis.checkRateLimit(key, { ...options, cost: 3 });
        assert.deepEqual(
          [tooMuch.allowed, tooMuch.remaining],
          [false, 2],
          `${algorithm}: cost 3 with 2 left`,
        );
        assert.ok(tooMuch.retryAfterMs > 0, `${algorithm}: a denial says how long to wait`);
        for (let i = 0; i < 3; i++) {
          const again = await ctx.redis.checkRateLimit(key, { ...options, cost: 4 });
          assert.equal(again.allowed, false, `${algorithm}: cost 4 with 2 left`);
        }
        const rest = await ctx.redis.checkRateLimit(key, { ...options, cost: 2 });
        assert.deepEqual(
          [rest.allowed, rest.remaining],
          [true, 0],
          `${algorithm}: the denials were not counted`,
        );
        const none = await ctx.redis.checkRateLimit(key, options);
        assert.deepEqual([none.allowed, none.remaining], [false, 0], `${algorithm}: used up`);
      }
    },
  },
  {
    slug: 'result-on-redis-clock',
    name: 'resetAtMs is on Redis\u2019s clock: within the window after the server\u2019s TIME, and every field is an integer',
    requires: ['scripting'],
    async run(ctx) {
      const windowMs = 60_000;
      const before = await redisNowMs(ctx.redis);
      const sliding = await ctx.redis.checkRateLimit('clock-sw', {
        algorithm: 'sliding-window',
        limit: 2,
        windowMs,
      });
      const gcra = await ctx.redis.checkRateLimit('clock-gcra', {
        algorithm: 'gcra',
        rate: 1,
        periodMs: windowMs,
        burst: 2,
      });
      const after = await redisNowMs(ctx.redis);
      for (const [what, result] of [
        ['sliding-window', sliding],
        ['gcra', gcra],
      ] as const) {
        assertIntegers(result, what);
        assert.equal(result.remaining, 1, `${what}: one of two used`);
        assert.ok(
          result.resetAtMs >= before + windowMs - 1 && result.resetAtMs <= after + windowMs + 1,
          `${what}: resetAtMs ${result.resetAtMs} within [${before + windowMs}, ${after + windowMs}]`,
        );
      }
      const fixed = await ctx.redis.checkRateLimit('clock-fw', {
        algorithm: 'fixed-window',
        limit: 2,
        windowMs,
      });
      assertIntegers(fixed, 'fixed-window');
      assert.equal(fixed.resetAtMs % windowMs, 0, 'a fixed window ends on a multiple of its length');
      assert.ok(fixed.resetAtMs > before && fixed.resetAtMs <= after + windowMs);
      const counter = await ctx.redis.checkRateLimit('clock-swc', {
        algorithm: 'sliding-window-counter',
        limit: 2,
        windowMs,
      });
      assertIntegers(counter, 'sliding-window-counter');
      assert.equal(counter.remaining, 1, 'sliding-window-counter: one of two used');
      // Its units count until the end of the next window, when they stop being the previous window's.
      assert.equal(counter.resetAtMs % windowMs, 0, 'the counter resets on a window boundary');
      assert.ok(
        counter.resetAtMs > before + windowMs && counter.resetAtMs <= after + 2 * windowMs,
        `sliding-window-counter: resetAtMs ${counter.resetAtMs} one window after the current one ends`,
      );
    },
  },
  {
    slug: 'keys-share-a-hash-tag',
    name: 'every key of a check is rl:{<key>}:... under the service prefix, so one check stays on one Cluster slot',
    requires: ['scripting'],
    async run(ctx) {
      const options = await steadyOptions(ctx.redis, 10);
      for (const [algorithm, algorithmOptions] of Object.entries(options)) {
        await ctx.redis.checkRateLimit('user:42', algorithmOptions);
        const keys = rateLimitKeys('user:42', algorithmOptions.algorithm);
        assert.ok(
          keys.every((key) => key.startsWith('rl:{user:42}:')),
          `${algorithm}: ${keys.join(', ')}`,
        );
        assert.equal(
          await ctx.redis.exists(...keys),
          keys.length,
          `${algorithm}: the keys exist under the prefix`,
        );
      }
      const raw = await ctx.redis.command(['EXISTS', `${ctx.prefix}rl:{user:42}:gcra`]);
      assert.equal(raw, 1, 'the service prefix comes before the hash tag');
    },
  },
  {
    slug: 'one-tick-checks-fail-alone',
    name: 'checks issued in one tick (one batch script) count in order, and a check whose key holds the wrong type fails alone',
    requires: ['scripting'],
    async run(ctx) {
      const options = await steadyOptions(ctx.redis, 10);
      for (const [algorithm, algorithmOptions] of Object.entries(options)) {
        const [wrongKey] = rateLimitKeys(`wrong-${algorithm}`, algorithmOptions.algorithm);
        await ctx.redis.command(['RPUSH', `${ctx.prefix}${wrongKey!}`, 'not a limiter']);
        const settled = await Promise.allSettled([
          ctx.redis.checkRateLimit(`ok-${algorithm}`, { ...algorithmOptions, cost: 2 }),
          ctx.redis.checkRateLimit(`wrong-${algorithm}`, algorithmOptions),
          ctx.redis.checkRateLimit(`ok-${algorithm}`, { ...algorithmOptions, cost: 3 }),
          ctx.redis.checkRateLimit(`ok-${algorithm}`, { ...algorithmOptions, cost: 6 }),
        ]);
        const [first, wrong, second, denied] = settled;
        assert.ok(
          first?.status === 'fulfilled' && first.value.allowed,
          `${algorithm}: the first check passes`,
        );
        assert.equal(first.value.remaining, 8, `${algorithm}: the first check took 2 of 10`);
        assert.ok(
          second?.status === 'fulfilled' && second.value.allowed,
          `${algorithm}: the third check passes`,
        );
        assert.equal(second.value.remaining, 5, `${algorithm}: the third check saw the first one's units`);
        assert.ok(denied?.status === 'fulfilled' && !denied.value.allowed, `${algorithm}: 6 more do not fit`);
        assert.ok(
          wrong?.status === 'rejected' &&
            wrong.reason instanceof RedisReplyError &&
            wrong.reason.prefix === 'WRONGTYPE',
          `${algorithm}: the check of the wrong-typed key rejects with WRONGTYPE, got ${
            wrong?.status === 'rejected' ? String(wrong.reason) : 'a result'
          }`,
        );
        const again = await ctx.redis.checkRateLimit(`ok-${algorithm}`, algorithmOptions);
        assert.equal(again.remaining, 4, `${algorithm}: the denied check counted nothing`);
      }
    },
  },
  {
    slug: 'validation-before-sending',
    name: 'bad options (zero limit, fractional window, cost above the limit, empty key) throw RedisValidationError and write nothing',
    requires: ['scripting'],
    async run(ctx) {
      const bad: [string, string, RateLimitOptions][] = [
        ['zero limit', 'v', { algorithm: 'sliding-window', limit: 0, windowMs: 1000 }],
        ['fractional window', 'v', { algorithm: 'fixed-window', limit: 1, windowMs: 0.5 }],
        ['zero counter window', 'v', { algorithm: 'sliding-window-counter', limit: 1, windowMs: 0 }],
        ['cost above limit', 'v', { algorithm: 'fixed-window', limit: 2, windowMs: 1000, cost: 3 }],
        ['cost above burst', 'v', { algorithm: 'gcra', rate: 1, periodMs: 1000, burst: 1, cost: 2 }],
        ['zero cost', 'v', { algorithm: 'gcra', rate: 1, periodMs: 1000, burst: 1, cost: 0 }],
        ['empty key', '', { algorithm: 'gcra', rate: 1, periodMs: 1000, burst: 1 }],
      ];
      for (const [what, key, options] of bad) {
        await rejectsWith(ctx.redis.checkRateLimit(key, options), RedisValidationError, what);
      }
      const written: string[] = [];
      for await (const key of ctx.redis.scan()) written.push(key);
      assert.deepEqual(written, [], 'nothing was written');
    },
  },
]);
