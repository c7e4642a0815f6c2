import assert from 'node:assert/strict';
import type { PubSubMessage } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { MessageReader, publishUntilReceived } from './support/pubsub-reader.js';
import { caseRelay } from './support/relay-context.js';

/** How long a resubscribed subscription may take to deliver again: a hang guard. */
const RECOVERY_MS = 30_000;

/**
 * Publishes `message` until the reader gets it; messages published earlier (a slow first delivery
 * makes `publishUntilReceived` publish twice) are skipped, not mistaken for it.
 */
async function deliverAgain(
  publish: (message: string) => Promise<unknown>,
  reader: MessageReader,
  message: string,
): Promise<PubSubMessage> {
  const deadline = performance.now() + RECOVERY_MS;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) assert.fail(`'${message}' did not arrive within ${RECOVERY_MS} ms`);
    const received = await publishUntilReceived(() => publish(message), reader, left);
    if (received.message === message) return received;
  }
}

/**
 * Pub/sub recovery without restarting the server: the subscribing driver talks through a relay
 * that cuts every connection, so the case runs on a shared server (`REDIS_URL`) too.
 */
export const pubsubRecoveryCases: IntegrationCase[] = defineCases('pubsub', [
  {
    slug: 'resubscribes-after-connections-drop',
    name: 'after every connection of the subscribing driver is cut, a publish from another client reaches the subscription again (the adapter reconnects and resubscribes)',
    requires: ['pubsub'],
    timeoutMs: 60_000,
    async run(ctx) {
      const relay = await caseRelay(ctx);
      const subscriber = await ctx.createService({ url: relay.url });
      const channel = `${ctx.prefix}cut`;
      const patterned = `${ctx.prefix}cut-pattern:one`;
      await using sub = await subscriber.subscribe(channel);
      await using psub = await subscriber.psubscribe(`${ctx.prefix}cut-pattern:*`);
      const reader = new MessageReader(sub);
      const preader = new MessageReader(psub);
      // The publisher is another client on a direct connection: only the subscriber loses its own.
      await publishUntilReceived(() => ctx.redis.publish(channel, 'before'), reader, 5_000);
      await publishUntilReceived(() => ctx.redis.publish(patterned, 'before'), preader, 5_000);
      relay.cutConnections();
      const after = await deliverAgain((m) => ctx.redis.publish(channel, m), reader, 'after');
      assert.equal(after.channel, channel, 'the channel subscription delivers again');
      const pafter = await deliverAgain((m) => ctx.redis.publish(patterned, m), preader, 'after');
      assert.equal(pafter.pattern, `${ctx.prefix}cut-pattern:*`, 'the pattern subscription delivers again');
      // The subscriber's own commands work again too.
      assert.equal(await subscriber.set('k', 'v'), true);
    },
  },
]);
