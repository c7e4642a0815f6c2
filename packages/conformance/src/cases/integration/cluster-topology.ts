import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  hashTag,
  keySlot,
  RedisConnectionError,
  RedisError,
  type RedisService,
  RedisTimeoutError,
  RedisUnavailableError,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { migrateSlot, slotOwner, slotSettled } from '../../harness/cluster-admin.js';
import { startRedisCluster } from '../../harness/redis-cluster.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';

/** Prints a measured line in the test output (what the case saw, not what it asserts). */
function report(line: string): void {
  process.stdout.write(`[conformance] ${line}\n`);
}

const NOT_OWN_CLUSTER =
  'it changes the layout of the cluster (moves a slot, kills a master), so it runs only on a cluster the kit started itself, not on REDIS_CLUSTER_URLS';

interface Tally {
  calls: number;
  failures: string[];
  wrong: string[];
}

/**
 * One caller of the resharding case: writes, reads back and counts its own keys of the migrating
 * slot (single commands, multi-key commands, a pipeline, a transaction) until told to stop; every
 * failure and every value that is not the one it wrote last is recorded.
 */
async function reshardingCaller(
  redis: RedisService,
  tag: string,
  id: number,
  stop: () => boolean,
  tally: Tally,
) {
  const keys = Array.from({ length: 5 }, (_, i) => `${tag}:c${id}:k${i}`);
  const counter = `${tag}:c${id}:n`;
  let round = 0;
  let counted = Number((await redis.get(counter)) ?? 0);
  const check = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want))
      tally.wrong.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  while (!stop() && !redis.closed) {
    round++;
    const value = `${id}:${round}`;
    const step = async (what: string, run: () => Promise<void>) => {
      tally.calls++;
      try {
        await run();
      } catch (error) {
        tally.failures.push(
          `${what}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
      }
    };
    await step('set', async () => {
      await redis.set(keys[0]!, value);
      check('get after set', await redis.get(keys[0]!), value);
    });
    await step('incr', async () => {
      counted = await redis.incr(counter);
    });
    await step('mset/mget', async () => {
      await redis.mset(keys.map((key) => [key, value] as const));
      check(
        'mget after mset',
        await redis.mget(keys),
        keys.map(() => value),
      );
    });
    await step('pipeline', async () => {
      const [set, get] = await redis.pipeline((p) => [p.set(keys[1]!, `${value}:p`), p.get(keys[1]!)]);
      check('pipeline get', get, { ok: true, value: `${value}:p` });
      check('pipeline set', set, { ok: true, value: true });
    });
    await step('transaction', async () => {
      const [set, incr] = await redis.transaction((tx) => [tx.set(keys[2]!, `${value}:t`), tx.incr(counter)]);
      check('transaction set', set, { ok: true, value: true });
      if (incr?.ok) counted = incr.value;
      else
        tally.failures.push(
          `transaction incr: ${String(incr?.ok === false ? incr.error.message : 'no result')}`,
        );
    });
  }
  return counted;
}

/** Kit cases that change the cluster under callers: a slot migrated, a master killed. */
export const clusterTopologyCases: IntegrationCase[] = defineCases('cluster-topology', [
  {
    slug: 'resharding-under-load',
    name: 'a slot migrated (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE) while callers read and write its keys: no call fails and no value is wrong (ASK, TRYAGAIN and MOVED followed)',
    requires: ['cluster'],
    timeoutMs: 90_000,
    async run(ctx) {
      const cluster = ctx.cluster;
      if (!cluster) return ctx.skip(NOT_OWN_CLUSTER);
      // A tag of its own per run: a slot nobody else's keys are in (the prefix has no braces).
      const tag = hashTag(`reshard:${randomBytes(4).toString('hex')}`);
      const slot = keySlot(`${ctx.prefix}${tag}`);
      const source = await slotOwner(cluster, slot);
      const target = (await cluster.topology()).find(
        (node) => node.role === 'master' && node.slots.length > 0 && !node.failing && node.id !== source.id,
      );
      assert.ok(target, 'another master to move the slot to');
      const tally: Tally = { calls: 0, failures: [], wrong: [] };
      let stopping = false;
      const callers = Array.from({ length: 6 }, (_, id) =>
        reshardingCaller(ctx.redis, tag, id, () => stopping, tally),
      );
      let moved = 0;
      let migrationMs = 0;
      let callsDuring = 0;
      let counted: number[];
      try {
        await eventually(async () => tally.calls >= 60, 'the callers are under way', { timeoutMs: 20_000 });
        const started = performance.now();
        // Three steps: callers meet the slot split (ASK for moved keys, TRYAGAIN for a multi-key
        // command whose keys are on both sides), but the split lasts two steps, not the whole
        // migration: a multi-key command cannot succeed while it lasts, and on a busy machine a
        // MIGRATE per two keys kept it split for longer than the command timeout.
        moved = await migrateSlot(cluster, slot, target.address, { keysPerStep: 12, pauseMs: 25 });
        migrationMs = performance.now() - started;
        callsDuring = tally.calls;
        // Calls keep going on the slot's new master for a while: MOVED, then the new slot table.
        await new Promise((resolve) => setTimeout(resolve, 500));
      } finally {
        stopping = true;
        counted = await Promise.all(callers);
      }
      report(
        `${ctx.adapter.name} resharding: slot ${slot} (${moved} keys) moved ${source.address} -> ${target.address} in ${Math.round(migrationMs)} ms under ${callsDuring} calls; ${tally.failures.length} failed, ${tally.wrong.length} wrong values`,
      );
      assert.deepEqual(tally.failures.slice(0, 5), [], `no call fails (${tally.failures.length} did)`);
      assert.deepEqual(tally.wrong.slice(0, 5), [], `no value is wrong (${tally.wrong.length} were)`);
      assert.ok(moved > 0, 'the slot had keys to move');
      await eventually(
        () => slotSettled(cluster, slot, target.address),
        'every node has the slot on its new master',
        {
          timeoutMs: 20_000,
        },
      );
      // Every increment counted once: the last INCR of each caller saw them all.
      for (let id = 0; id < counted.length; id++) {
        assert.equal(Number(await ctx.redis.get(`${tag}:c${id}:n`)), counted[id], `caller ${id}'s counter`);
      }
    },
  },
  {
    slug: 'failover-under-load',
    name: 'a master killed (kill -9) while callers use it: its replica takes over, the service recovers without being recreated, every failed call is typed and none hangs past its timeout',
    requires: ['cluster'],
    timeoutMs: 120_000,
    async run(ctx) {
      if (!ctx.cluster) return ctx.skip(NOT_OWN_CLUSTER);
      // A cluster of its own: a short cluster-node-timeout, so the replica takes over within seconds.
      const cluster = await startRedisCluster({ nodeTimeoutMs: 1000 });
      ctx.defer(() => cluster.stop());
      const commandTimeoutMs = 2000;
      const redis = await ctx.createService({ url: cluster.urls[0]!, nodes: cluster.urls, commandTimeoutMs });
      const tag = hashTag(`failover:${randomBytes(4).toString('hex')}`);
      const slot = keySlot(`${ctx.prefix}${tag}`);
      const victim = await slotOwner(cluster, slot);
      const node = cluster.nodes.find((candidate) => candidate.port === victim.port);
      assert.ok(node, 'the harness runs the victim');
      const failures = new Map<string, number>();
      let calls = 0;
      let longest = 0;
      let hung = 0;
      let killedAt = 0;
      let recoveredAt = 0;
      let stopping = false;
      const caller = async (id: number) => {
        const key = id % 2 === 0 ? `${tag}:c${id}` : `other:c${id}`;
        for (let round = 0; !stopping && !redis.closed; round++) {
          const started = performance.now();
          calls++;
          try {
            await redis.set(key, String(round));
            // A write sent after the kill that succeeds: someone serves the slot again.
            if (killedAt > 0 && started > killedAt && recoveredAt === 0 && key.startsWith(tag)) {
              recoveredAt = performance.now();
            }
          } catch (error) {
            const name = error instanceof RedisError ? error.constructor.name : `untyped ${String(error)}`;
            failures.set(name, (failures.get(name) ?? 0) + 1);
            assert.ok(
              error instanceof RedisConnectionError ||
                error instanceof RedisTimeoutError ||
                error instanceof RedisUnavailableError,
              `a failed call is typed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
            );
            // Failing callers do not spin: a real one would back off too.
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const took = performance.now() - started;
          longest = Math.max(longest, took);
          // The deadline is the service's own; a generous margin for a loaded machine.
          if (took > commandTimeoutMs + 3000) hung++;
        }
      };
      const callers = Array.from({ length: 8 }, (_, id) => caller(id));
      await eventually(async () => calls >= 80, 'the callers are under way', { timeoutMs: 20_000 });
      killedAt = performance.now();
      await node.kill('SIGKILL');
      try {
        await eventually(async () => recoveredAt > 0, "a write to the killed master's slot succeeds again", {
          timeoutMs: 60_000,
          intervalMs: 50,
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
      } finally {
        stopping = true;
        await Promise.all(callers);
      }
      const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
      report(
        `${ctx.adapter.name} failover: ${victim.address} killed; recovered in ${Math.round(recoveredAt - killedAt)} ms; ${failed} of ${calls} calls failed (${[...failures].map(([name, count]) => `${count} ${name}`).join(', ') || 'none'}); longest call ${Math.round(longest)} ms`,
      );
      assert.equal(hung, 0, `no call outlives its timeout (${hung} did; longest ${Math.round(longest)} ms)`);
      const promoted = await slotOwner(cluster, slot);
      assert.notEqual(promoted.address, victim.address, 'a replica serves the slot now');
      assert.equal(await redis.get(`${tag}:after`), null);
      await redis.set(`${tag}:after`, 'same service');
      assert.equal(
        await redis.get(`${tag}:after`),
        'same service',
        'the service works without being recreated',
      );
    },
  },
]);
