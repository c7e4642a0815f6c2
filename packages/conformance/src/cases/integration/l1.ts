import assert from 'node:assert/strict';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import {
  holdInL1,
  L1_WAIT_MS,
  l1Stats,
  latencySummary,
  OutsideWriter,
  waitFor,
} from './support/l1-support.js';

/** The L1 refuses a cluster driver (`cluster/l1-is-refused` checks it). */
const L1_OFF_ON_CLUSTER =
  'the L1 is off on a Redis Cluster (tracking is per node), refused with RedisValidationError';

/** Rounds of the outside-write case: enough for a p99 of the invalidation delay. */
const OUTSIDE_WRITE_ROUNDS = 200;

async function outsideWriter(ctx: IntegrationContext): Promise<OutsideWriter> {
  return new OutsideWriter(await ctx.createDriver(), ctx.prefix);
}

/**
 * Cases on the in-process cache (`l1`): coherence with Redis under writes made outside the
 * library (tracking), a lost tracking connection, the TTL bound, the memory bound, and the
 * invalidation bus of drivers without tracking. The plain client that writes "outside" is a
 * driver of the adapter used directly, under no service: nothing of the library sees its writes.
 */
export const l1Cases: IntegrationCase[] = defineCases('l1', [
  {
    slug: 'outside-write-is-never-served-after-its-invalidation',
    name: `a value held in the L1 and changed by a separate plain client is never served once its invalidation arrived (${OUTSIDE_WRITE_ROUNDS} rounds; the delay is noted)`,
    skipOnCluster: L1_OFF_ON_CLUSTER,
    requires: ['tracking'],
    timeoutMs: 240_000,
    async run(ctx) {
      const a = await ctx.createService({ l1: {} });
      await a.l1.ready();
      const outside = await outsideWriter(ctx);
      const delays: number[] = [];
      let servedOldBeforeInvalidation = 0;
      for (let round = 0; round < OUTSIDE_WRITE_ROUNDS; round++) {
        const key = `outside:${round}`;
        let seen = l1Stats(a).invalidations;
        await outside.set(key, 'old');
        await waitFor(() => l1Stats(a).invalidations > seen, 'the invalidation of the first write');
        await holdInL1(a, key, 'old');
        seen = l1Stats(a).invalidations;
        const sent = performance.now();
        const writing = outside.set(key, 'new');
        await waitFor(async () => {
          // Read the counter before the L1: if the invalidation had arrived, the read must be new.
          const arrived = l1Stats(a).invalidations > seen;
          const value = await a.l1.get(key);
          assert.ok(value === 'old' || value === 'new', `round ${round}: read '${String(value)}'`);
          if (arrived)
            assert.equal(value, 'new', `round ${round}: the old value was served after its invalidation`);
          if (value === 'old') {
            servedOldBeforeInvalidation++;
            return false;
          }
          delays.push(performance.now() - sent);
          return true;
        }, `round ${round}: the new value`);
        await writing;
      }
      assert.equal(delays.length, OUTSIDE_WRITE_ROUNDS);
      ctx.note(
        `invalidation delay, outside SET sent -> L1 evicted: ${latencySummary(delays)}; ${servedOldBeforeInvalidation} reads served the old value before its invalidation arrived, none after`,
      );
    },
  },
  {
    slug: 'dropped-tracking-connection-empties-the-l1',
    name: 'when the tracking connection is killed, the L1 is emptied before it serves again (a write meanwhile is not missed), and tracking resumes on a new connection',
    skipOnCluster: L1_OFF_ON_CLUSTER,
    requires: ['tracking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const a = await ctx.createService({ l1: {} });
      await a.l1.ready();
      const outside = await outsideWriter(ctx);
      let seen = l1Stats(a).invalidations;
      await outside.set('k', 'v0');
      await waitFor(() => l1Stats(a).invalidations > seen, 'the invalidation of the first write');
      await holdInL1(a, 'k', 'v0');
      const killed = l1Stats(a).trackingClientId;
      assert.ok(killed !== undefined, 'the L1 names its tracking connection');
      const flushes = l1Stats(a).flushes;
      const reply = await outside.driver.send(['CLIENT', 'KILL', 'ID', killed]);
      assert.equal(Number(reply), 1, 'CLIENT KILL found the tracking connection');
      // Nobody receives this write's invalidation: only the flush keeps v0 from being served.
      await outside.set('k', 'v1');
      await waitFor(() => l1Stats(a).flushes > flushes, 'the L1 noticing the lost connection');
      assert.equal(await a.l1.get('k'), 'v1', 'the L1 served a value from before the connection was lost');
      await waitFor(
        () => l1Stats(a).live && l1Stats(a).trackingClientId !== killed,
        'tracking on a new connection',
      );
      await holdInL1(a, 'k', 'v1');
      seen = l1Stats(a).invalidations;
      await outside.set('k', 'v2');
      await waitFor(() => l1Stats(a).invalidations > seen, 'an invalidation on the new connection');
      assert.equal(await a.l1.get('k'), 'v2');
    },
  },
  {
    slug: 'never-served-past-its-redis-ttl',
    name: "an L1 entry is served from the L1 while its key lives and never once Redis says it expired (coherence 'ttl': only the PTTL read with it bounds it)",
    skipOnCluster: L1_OFF_ON_CLUSTER,
    timeoutMs: 60_000,
    async run(ctx) {
      const a = await ctx.createService({ l1: { coherence: 'ttl', ttlMs: 60_000 } });
      await a.l1.ready();
      const outside = await outsideWriter(ctx);
      let servedFromL1 = 0;
      for (let round = 0; round < 5; round++) {
        const key = `ttl:${round}`;
        await outside.set(key, 'short-lived', 1500);
        for (;;) {
          const gone = (await outside.pttl(key)) === -2;
          const hits = l1Stats(a).hits;
          const value = await a.l1.get(key);
          if (gone) {
            assert.equal(value, null, `round ${round}: served after Redis expired the key`);
            break;
          }
          // Read before the expiry, or in the moment between the PTTL and the read.
          assert.ok(value === 'short-lived' || value === null, `round ${round}: read '${String(value)}'`);
          if (l1Stats(a).hits > hits) servedFromL1++;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      assert.ok(servedFromL1 > 0, 'the entries were served from the L1 while they lived');
    },
  },
  {
    slug: 'stays-within-its-bounds-under-many-keys',
    name: 'reading 1000 distinct keys through an L1 of 100 entries and 24 KiB keeps it within both bounds at every step, and every read is right',
    skipOnCluster: L1_OFF_ON_CLUSTER,
    timeoutMs: 120_000,
    async run(ctx) {
      const maxEntries = 100;
      const maxBytes = 24 * 1024;
      const a = await ctx.createService({ l1: { coherence: 'ttl', maxEntries, maxBytes } });
      await a.l1.ready();
      const total = 1000;
      const keys = Array.from({ length: total }, (_, i) => `many:${i}`);
      for (let start = 0; start < total; start += 100) {
        await a.mset(keys.slice(start, start + 100).map((key) => [key, `value of ${key}`] as const));
      }
      for (const key of keys) {
        assert.equal(await a.l1.get(key), `value of ${key}`);
        const { entries, bytes } = l1Stats(a);
        assert.ok(entries <= maxEntries, `${entries} entries held, bound ${maxEntries}`);
        assert.ok(bytes <= maxBytes, `${bytes} bytes held, bound ${maxBytes}`);
      }
      assert.ok(l1Stats(a).evictions >= total - maxEntries, 'least recently used entries were evicted');
      assert.equal(await a.l1.get(keys[total - 1]!), `value of ${keys[total - 1]}`);
      assert.ok(l1Stats(a).hits > 0, 'the most recent keys are still served from the L1');
    },
  },
  {
    slug: 'bus-evicts-writes-of-other-services',
    name: "on the invalidation bus, a write through another service evicts the key; a write outside the library is seen only at the L1's TTL",
    skipOnCluster: L1_OFF_ON_CLUSTER,
    requires: ['pubsub'],
    timeoutMs: 60_000,
    async run(ctx) {
      const ttlMs = 1500;
      const a = await ctx.createService({ l1: { coherence: 'bus', ttlMs } });
      const b = await ctx.createService({ l1: { coherence: 'bus' } });
      await Promise.all([a.l1.ready(), b.l1.ready()]);
      const outside = await outsideWriter(ctx);
      await b.set('k', 'v1');
      await holdInL1(a, 'k', 'v1');
      const seen = l1Stats(a).invalidations;
      await b.set('k', 'v2');
      await waitFor(() => l1Stats(a).invalidations > seen, 'the announcement of the write');
      assert.equal(await a.l1.get('k'), 'v2');
      await holdInL1(a, 'k', 'v2');
      const wrote = performance.now();
      await outside.set('k', 'v3');
      let staleReads = 0;
      await waitFor(
        async () => {
          const value = await a.l1.get('k');
          assert.ok(value === 'v2' || value === 'v3', `read '${String(value)}'`);
          if (value === 'v2') staleReads++;
          return value === 'v3';
        },
        'the outside write, once the entry reached its TTL',
        ttlMs + L1_WAIT_MS,
      );
      ctx.note(
        `bus: an outside write was served stale ${staleReads} times for ${Math.round(performance.now() - wrote)} ms (bound: l1.ttlMs ${ttlMs})`,
      );
    },
  },
  {
    slug: 'bus-interruption-empties-the-l1',
    name: 'when the bus subscription is interrupted (its connection killed, or over REST the server restarted under the bridge), the L1 is emptied, then serves again once resubscribed, and announcements reach it again',
    skipOnCluster: L1_OFF_ON_CLUSTER,
    requires: ['pubsub'],
    timeoutMs: 60_000,
    async run(ctx) {
      // REST cannot name connections (no CLIENT): there, the bridge loses its Redis connection.
      const rest = (ctx.adapter.transport ?? 'resp') !== 'resp';
      const restartServer = ctx.restartServer;
      if (rest && !restartServer)
        return ctx.skip(
          'over REST only a server restart interrupts the stream, and this run cannot restart its server',
        );
      const a = await ctx.createService({ l1: { coherence: 'bus' } });
      const b = await ctx.createService({ l1: { coherence: 'bus' } });
      await Promise.all([a.l1.ready(), b.l1.ready()]);
      const outside = await outsideWriter(ctx);
      await b.set('k', 'v1');
      await holdInL1(a, 'k', 'v1');
      const flushes = l1Stats(a).flushes;
      if (rest && restartServer) {
        await restartServer();
      } else {
        const killed = Number(await outside.driver.send(['CLIENT', 'KILL', 'TYPE', 'pubsub']));
        assert.ok(killed >= 1, 'CLIENT KILL found the subscriber connections');
      }
      await waitFor(() => l1Stats(a).flushes > flushes, 'the L1 emptied when its subscription was lost');
      await waitFor(() => l1Stats(a).live, 'the bus subscription restored');
      // Written again: a restarted server lost it.
      await b.set('k', 'v1');
      await holdInL1(a, 'k', 'v1');
      const seen = l1Stats(a).invalidations;
      await b.set('k', 'v2');
      await waitFor(() => l1Stats(a).invalidations > seen, 'an announcement after the interruption');
      assert.equal(await a.l1.get('k'), 'v2');
    },
  },
]);
