import assert from 'node:assert/strict';
import { RedisClosedError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import type { FaultProxy } from '../../harness/fault-proxy.js';
import { caseProxy, THROUGH_PROXY } from './support/case-proxy.js';
import { defineCases } from './support/define-cases.js';
import { MessageReader } from './support/pubsub-reader.js';
import { rejectsWith } from './support/rejects-with.js';

const CYCLES = 5;
/**
 * How long closed connections may take to go away: a hang guard. A RESP driver's sockets close at
 * once; an HTTP driver's idle keep-alive sockets belong to the runtime's fetch pool and close on
 * their own within seconds; a connection the driver keeps (a socket, an event stream) never does.
 */
const GONE_WITHIN_MS = 20_000;
const DRIVER_TIMEOUT_MS = 120_000;

/** Cases on what a closed driver leaves on the server. */
export const connectionCases: IntegrationCase[] = defineCases('connections', [
  {
    slug: 'close-leaves-no-connection',
    // Counted through the proxy: on a cluster the driver reaches the other nodes around it.
    skipOnCluster: THROUGH_PROXY,
    name: `${CYCLES} cycles of open, use (commands, a pipeline, a subscription left open, a command in flight) and close leave no connection open on the server`,
    timeoutMs: 90_000,
    async run(ctx) {
      // Every connection of the drivers under test passes through a fault proxy, which counts
      // them by address: exact even on a shared server, where CLIENT LIST also shows other
      // clients. One proxy per cycle, so that one can hold its replies back for good.
      const proxies: FaultProxy[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const { proxy, url } = await caseProxy(ctx);
        proxies.push(proxy);
        // A driver timeout beyond the guard, so that only close() can end the command in flight.
        const redis = await ctx.createService({ url, commandTimeoutMs: DRIVER_TIMEOUT_MS });
        await redis.set('k', String(cycle));
        await redis.pipeline((p) => [p.incr('n'), p.get('k')]);
        if (redis.capabilities.pubsub) {
          // Left open on purpose: closing must end the subscription and its connection too.
          const channel = `${ctx.prefix}cycle`;
          const reader = new MessageReader(await redis.subscribe(channel));
          await redis.publish(channel, 'hello');
          assert.equal(((await reader.next(5_000)) as { message?: string }).message, 'hello');
        }
        // A command whose reply never comes: close() must give up on it and drop its connection
        // (an HTTP driver aborts the request), not leave it waiting.
        proxy.holdReplies();
        const inFlight = rejectsWith(
          redis.get('k'),
          RedisClosedError,
          `the command in flight at close (cycle ${cycle + 1})`,
        );
        await redis.close();
        await inFlight;
        await rejectsWith(redis.get('k'), RedisClosedError, `a command after close (cycle ${cycle + 1})`);
        assert.ok(proxy.accepted > 0, `the driver of cycle ${cycle + 1} connected through its proxy`);
      }
      const open = () => proxies.reduce((sum, proxy) => sum + proxy.forwarding, 0);
      const deadline = performance.now() + GONE_WITHIN_MS;
      while (open() > 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const accepted = proxies.reduce((sum, proxy) => sum + proxy.accepted, 0);
      assert.equal(
        open(),
        0,
        `${open()} of the ${accepted} connections of ${CYCLES} closed drivers still open after ${GONE_WITHIN_MS} ms`,
      );
      assert.equal(await ctx.redis.get('n'), String(CYCLES), 'the cycles ran against the same server');
    },
  },
]);
