import assert from 'node:assert/strict';
import {
  InflightLimiter,
  type RedisDriver,
  RedisQueueTimeoutError,
  RedisService,
  type RedisServiceOptions,
  RedisTimeoutError,
} from '@redis-service/core';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { caseProxy } from './support/case-proxy.js';
import { completesWithin } from './support/completes-within.js';
import { defineCases } from './support/define-cases.js';
import { rejectsWith } from './support/rejects-with.js';
import { settleWithin } from './support/settle-within.js';

/** A timeout short enough to keep the cases quick; the replies are held back, so it always elapses. */
const SHORT_TIMEOUT_MS = 300;
/** How long a command after the timeouts may take: a hang guard, far above any real round trip. */
const GUARD_MS = 15_000;

/** What a command that never completes after the timeouts means. */
const NOT_GIVEN_BACK = 'what a timed-out command held was never given back';

/**
 * Waits for `promise`, failing the case when it is still pending after the guard, or when it
 * waited for an inflight permit until its queue deadline (a permit that never came back).
 */
async function completes<T>(promise: Promise<T>, what: string): Promise<T> {
  try {
    return await completesWithin(promise, GUARD_MS, what, NOT_GIVEN_BACK);
  } catch (error) {
    if (error instanceof RedisQueueTimeoutError) assert.fail(`${what}: ${error.message} (${NOT_GIVEN_BACK})`);
    throw error;
  }
}

/**
 * Runs `call` until it succeeds. A correct driver with a short timeout may time out now and then
 * on a busy machine, so a `RedisTimeoutError` is tried again; one that keeps what timed-out
 * commands held never succeeds, and the guard ends the case.
 */
async function succeeds<T>(call: () => Promise<T>, what: string): Promise<T> {
  const deadline = performance.now() + GUARD_MS;
  for (;;) {
    const outcome = await settleWithin(call(), Math.max(1, deadline - performance.now()));
    if (outcome.status === 'resolved') return outcome.value as T;
    if (outcome.status === 'rejected' && !(outcome.error instanceof RedisTimeoutError)) throw outcome.error;
    if (outcome.status === 'hung' || performance.now() >= deadline) {
      assert.fail(`${what}: no reply within ${GUARD_MS} ms (${NOT_GIVEN_BACK})`);
    }
  }
}

/** A service over `driver` with the case's prefix, closed after the case. */
function serviceOver(
  ctx: IntegrationContext,
  driver: RedisDriver,
  options: RedisServiceOptions,
  limiter?: InflightLimiter,
): RedisService {
  const service = new RedisService(driver, { keyPrefix: ctx.prefix, ...options }, limiter);
  ctx.defer(() => service.close());
  return service;
}

/**
 * Cases on what a timeout gives back. The driver under test talks through a fault proxy that holds the
 * server's replies back, so a command times out for sure (never because the machine is slow), and
 * its reply still arrives later, as it does in production when a server stalls.
 */
export const timeoutCases: IntegrationCase[] = defineCases('timeouts', [
  {
    slug: 'permits-come-back-after-service-timeouts',
    name: "after commands time out at the service's deadline holding every inflight permit, the next command gets one and completes",
    timeoutMs: 60_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      // Two services of one endpoint share its limiter (maxInflight 2): the impatient one times
      // out, the other needs a permit afterwards. A core that keeps a timed-out permit starves it.
      const limiter = new InflightLimiter(2);
      const impatient = serviceOver(
        ctx,
        await ctx.createDriver({ url }),
        { commandTimeoutMs: SHORT_TIMEOUT_MS },
        limiter,
      );
      const patient = serviceOver(ctx, await ctx.createDriver(), { commandTimeoutMs: 10_000 }, limiter);
      assert.equal(await succeeds(() => impatient.set('k', 'v'), 'a command through the proxy'), true);
      proxy.holdReplies();
      try {
        const held = [impatient.get('k'), impatient.get('k')];
        for (const [index, call] of held.entries()) {
          await rejectsWith(call, RedisTimeoutError, `held command #${index + 1}`);
        }
        assert.equal(await completes(patient.get('k'), 'the next command'), 'v');
        const more = await completes(
          Promise.all(Array.from({ length: 5 }, () => patient.incr('n'))),
          'five more commands',
        );
        assert.deepEqual(more, [1, 2, 3, 4, 5]);
        assert.equal(limiter.stats.active, 0, 'no permit is held once everything settled');
      } finally {
        proxy.releaseReplies();
      }
    },
  },
  {
    slug: 'driver-timeouts-give-back-what-they-held',
    name: "after six commands time out at the driver's own deadline, its next commands complete (a driver-side pool or queue gives back every slot)",
    timeoutMs: 60_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      const driver = await ctx.createDriver({ url, commandTimeoutMs: SHORT_TIMEOUT_MS });
      // No service deadline: only the driver's own timeout ends the held commands.
      const redis = serviceOver(ctx, driver, { commandTimeoutMs: 0, maxInflight: 16 });
      assert.equal(await succeeds(() => redis.set('k', 'v'), 'a command through the proxy'), true);
      proxy.holdReplies();
      try {
        const held = Array.from({ length: 6 }, () => redis.get('k'));
        for (const [index, call] of held.entries()) {
          await completes(
            rejectsWith(call, RedisTimeoutError, `held command #${index + 1}`),
            `held #${index + 1}`,
          );
        }
      } finally {
        proxy.releaseReplies();
      }
      // The held replies now reach a driver that gave up on them; it must stay in step.
      assert.equal(await succeeds(() => redis.get('k'), 'the next command'), 'v');
      const more = await succeeds(
        () => Promise.all(Array.from({ length: 8 }, (_, i) => redis.set(`k${i}`, String(i)))),
        'eight more commands',
      );
      assert.ok(more.every(Boolean));
      assert.deepEqual(await succeeds(() => redis.mget(['k0', 'k7']), 'mget'), ['0', '7']);
    },
  },
  {
    slug: 'driver-timeout-is-a-timeout-error',
    name: "a command whose reply does not come within the driver's commandTimeoutMs rejects with RedisTimeoutError, not a connection error",
    timeoutMs: 60_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      const driver = await ctx.createDriver({ url, commandTimeoutMs: SHORT_TIMEOUT_MS });
      assert.equal(await succeeds(() => driver.send(['PING']), 'a command through the proxy'), 'PONG');
      proxy.holdReplies();
      try {
        const error = await completes(
          rejectsWith(driver.send(['GET', `${ctx.prefix}k`]), RedisTimeoutError, 'GET with its reply held'),
          'GET with its reply held',
        );
        assert.equal(error.timeoutMs, SHORT_TIMEOUT_MS, 'the error reports the timeout that elapsed');
        await completes(
          rejectsWith(
            driver
              .batch(
                [
                  ['SET', `${ctx.prefix}a`, '1'],
                  ['GET', `${ctx.prefix}a`],
                ],
                { transaction: false },
              )
              .then((results) => {
                const failure = results.find((result) => !result.ok);
                if (failure && !failure.ok) throw failure.error;
                return results;
              }),
            RedisTimeoutError,
            'a pipeline with its replies held',
          ),
          'a pipeline with its replies held',
        );
      } finally {
        proxy.releaseReplies();
      }
    },
  },
]);
