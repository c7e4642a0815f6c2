import assert from 'node:assert/strict';
import { RedisConnectionError, RedisTimeoutError } from '@redis-service/core';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { caseProxy } from './support/case-proxy.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { MessageReader } from './support/pubsub-reader.js';
import { type Settlement, settleWithin } from './support/settle-within.js';

/**
 * The command timeout these cases give the service and its driver. Recovery is expected within
 * about twice that; the cases assert recovery (within a hang guard), and note how long it took.
 */
const TIMEOUT_MS = 2000;
/** Only a hang guard: a driver that never recovers fails here, a slow machine does not. */
const HANG_GUARD_MS = 15 * TIMEOUT_MS;

function describeSettlement(outcome: Settlement): string {
  if (outcome.status === 'hung') return 'still pending';
  if (outcome.status === 'resolved') return 'a reply';
  return outcome.error instanceof Error
    ? `${outcome.error.name}: ${outcome.error.message}`
    : String(outcome.error);
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

const THROUGH_PROXY =
  'a fault proxy stands in front of one node, and a cluster client reaches every node at the address the cluster announces, around the proxy';

/**
 * Cases on connections whose peer vanished without a FIN or RST (a dead host, an expired NAT or
 * load-balancer entry): the fault proxy strands every live connection (server side closed, client
 * side open and silent), and commands and subscriptions must come back by themselves, as the
 * README promises, within about twice the command timeout.
 */
export const halfOpenCases: IntegrationCase[] = defineCases('half-open', [
  {
    slug: 'commands-recover',
    skipOnCluster: THROUGH_PROXY,
    name: `commands on a half-open connection fail with RedisTimeoutError or RedisConnectionError, then work again (expected within about 2 x commandTimeoutMs)`,
    timeoutMs: HANG_GUARD_MS + 30_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      const redis = await ctx.createService({ url, commandTimeoutMs: TIMEOUT_MS });
      assert.equal(await redis.set('k', 'v'), true);
      // A GET surely on the wire when the connections are stranded: the proxy holds it back.
      proxy.hold();
      const inFlight = settleWithin(redis.get('k'), HANG_GUARD_MS);
      await eventually(async () => proxy.heldBytes > 0, 'the GET reached the proxy', {
        timeoutMs: HANG_GUARD_MS,
      });
      assert.ok(proxy.strand() >= 1, "the service's connection runs through the proxy");
      const started = performance.now();
      const lost = await inFlight;
      assert.ok(
        lost.status === 'rejected' &&
          (lost.error instanceof RedisTimeoutError || lost.error instanceof RedisConnectionError),
        `the GET on the stranded connection fails with RedisTimeoutError or RedisConnectionError, got ${describeSettlement(lost)}`,
      );
      const failures: string[] = [lost.error.name];
      for (;;) {
        try {
          assert.equal(await redis.get('k'), 'v', 'the value, once the service is back');
          break;
        } catch (error) {
          if (!(error instanceof RedisTimeoutError || error instanceof RedisConnectionError)) throw error;
          failures.push(error.name);
          if (performance.now() - started > HANG_GUARD_MS) {
            assert.fail(
              `no command succeeded within ${HANG_GUARD_MS} ms of stranding (${failures.length} failed)`,
            );
          }
        }
      }
      ctx.note(
        `commands back ${elapsedSince(started)} ms after stranding (commandTimeoutMs ${TIMEOUT_MS}); failed on the way: ${failures.join(', ')}`,
      );
    },
  },
  {
    slug: 'subscriptions-recover',
    skipOnCluster: THROUGH_PROXY,
    name: 'a subscription on a half-open connection gets messages again without any call (expected within about 2 x commandTimeoutMs)',
    requires: ['pubsub'],
    timeoutMs: HANG_GUARD_MS + 30_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      const redis = await ctx.createService({ url, commandTimeoutMs: TIMEOUT_MS });
      const channel = `${ctx.prefix}half-open`;
      await using subscription = await redis.subscribe(channel);
      const reader = new MessageReader(subscription);
      // Published straight to the server (not through the proxy), until one arrives.
      await receiveAfter(ctx, channel, reader, 'before', HANG_GUARD_MS);
      assert.ok(proxy.strand() >= 1, "the subscriber's connection runs through the proxy");
      const started = performance.now();
      await receiveAfter(ctx, channel, reader, 'after', HANG_GUARD_MS);
      ctx.note(
        `subscription back ${elapsedSince(started)} ms after stranding (commandTimeoutMs ${TIMEOUT_MS})`,
      );
    },
  },
  {
    slug: 'unsubscribe-settles',
    skipOnCluster: THROUGH_PROXY,
    name: 'unsubscribe() and `await using` disposal settle on a dead subscriber connection (expected within the command timeout)',
    requires: ['pubsub'],
    timeoutMs: HANG_GUARD_MS + 30_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      const driver = await ctx.createDriver({ url, commandTimeoutMs: TIMEOUT_MS });
      const onDriver = await driver.subscribe!({ channels: [`${ctx.prefix}dead:a`] }, () => {});
      const redis = await ctx.createService({ url, commandTimeoutMs: TIMEOUT_MS });
      const channel = `${ctx.prefix}dead:b`;
      let released!: () => void;
      const held = new Promise<void>((resolve) => {
        released = resolve;
      });
      let subscribed!: () => void;
      const live = new Promise<void>((resolve) => {
        subscribed = resolve;
      });
      const scope = (async () => {
        await using _subscription = await redis.subscribe(channel);
        subscribed();
        await held; // the scope ends, and the subscription is disposed, once the connection is dead
      })();
      await Promise.race([live, scope]);
      assert.ok(proxy.strand() >= 1, 'the subscriber connections run through the proxy');
      const started = performance.now();
      const unsubscribed = onDriver.unsubscribe();
      released();
      const [driverSide, serviceSide] = await Promise.all([
        settleWithin(unsubscribed, HANG_GUARD_MS),
        settleWithin(scope, HANG_GUARD_MS),
      ]);
      assert.equal(driverSide.status, 'resolved', "the driver's unsubscribe() settles (and does not reject)");
      assert.equal(serviceSide.status, 'resolved', 'leaving an `await using` scope settles');
      ctx.note(
        `unsubscribe and disposal settled ${elapsedSince(started)} ms after stranding (commandTimeoutMs ${TIMEOUT_MS})`,
      );
    },
  },
]);

/**
 * Publishes `<label>-1`, `<label>-2`, ... straight to the server until one of them arrives,
 * skipping anything else the reader still holds (earlier messages of the case).
 */
async function receiveAfter(
  ctx: IntegrationContext,
  channel: string,
  reader: MessageReader,
  label: string,
  timeoutMs: number,
): Promise<void> {
  const started = performance.now();
  for (let i = 1; performance.now() - started < timeoutMs; i++) {
    await ctx.redis.publish(channel, `${label}-${i}`);
    for (;;) {
      const next = await reader.next(200);
      if (next === 'done') assert.fail('the subscription ended');
      if (next === 'timeout') break;
      if (next.message.startsWith(`${label}-`)) return;
    }
  }
  assert.fail(`no '${label}' message arrived within ${timeoutMs} ms`);
}
