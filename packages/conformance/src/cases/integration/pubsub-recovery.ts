import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { announceConnectionsCut } from '../../faults/connection-cuts.js';
import { caseProxy } from './support/case-proxy.js';
import { defineCases } from './support/define-cases.js';
import { deliverAgain } from './support/deliver-again.js';
import { MessageReader, publishUntilReceived } from './support/pubsub-reader.js';

/** How long a resubscribed subscription may take to deliver again: a hang guard. */
const RECOVERY_MS = 30_000;

/**
 * Pub/sub recovery without restarting the server: the subscribing driver talks through a proxy
 * that cuts every connection, so the case runs on a shared server (`REDIS_URL`) too.
 */
export const pubsubRecoveryCases: IntegrationCase[] = defineCases('pubsub', [
  {
    slug: 'resubscribes-after-connections-drop',
    name: 'after every connection of the subscribing driver is cut, a publish from another client reaches the subscription again (the adapter reconnects and resubscribes)',
    requires: ['pubsub'],
    timeoutMs: 60_000,
    async run(ctx) {
      const { proxy, url } = await caseProxy(ctx);
      const subscriber = await ctx.createService({ url });
      const channel = `${ctx.prefix}cut`;
      const patterned = `${ctx.prefix}cut-pattern:one`;
      await using sub = await subscriber.subscribe(channel);
      await using psub = await subscriber.psubscribe(`${ctx.prefix}cut-pattern:*`);
      const reader = new MessageReader(sub);
      const preader = new MessageReader(psub);
      // The publisher is another client on a direct connection: only the subscriber loses its own.
      await publishUntilReceived(() => ctx.redis.publish(channel, 'before'), reader, 5_000);
      await publishUntilReceived(() => ctx.redis.publish(patterned, 'before'), preader, 5_000);
      proxy.cut();
      announceConnectionsCut();
      const after = await deliverAgain((m) => ctx.redis.publish(channel, m), reader, 'after', RECOVERY_MS);
      assert.equal(after.channel, channel, 'the channel subscription delivers again');
      const pafter = await deliverAgain(
        (m) => ctx.redis.publish(patterned, m),
        preader,
        'after',
        RECOVERY_MS,
      );
      assert.equal(pafter.pattern, `${ctx.prefix}cut-pattern:*`, 'the pattern subscription delivers again');
      // The subscriber's own commands work again too.
      assert.equal(await subscriber.set('k', 'v'), true);
    },
  },
]);
