import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { startCaseWorkers } from '../../workers/case-workers.js';
import type { StreamDrainParams, StreamDrainResult } from '../../workers/jobs/stream-drain.js';
import type { StreamHoldParams, StreamHoldResult } from '../../workers/jobs/stream-hold.js';
import { isAlive } from '../../workers/process-alive.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { settledValue } from './support/settled-value.js';
import { compareIds } from './support/stream-ids.js';

const WORKERS = 4;
const ENTRIES = 10_000;
const PRODUCE_BATCH = 500;
const CRASH_ENTRIES = 200;
const CRASH_BATCH = 20;
const CRASH_ACKED = 5;
/** Hang guards only: nothing here is timed. */
const STALL_GUARD_MS = 60_000;
const CLAIM_GUARD_MS = 120_000;

/** Cases on consumer groups spread over several processes: exactly-once delivery and crash recovery. */
export const streamWorkerCases: IntegrationCase[] = defineCases('streams', [
  {
    slug: 'processes-of-one-group-process-each-entry-once',
    name: `${ENTRIES} entries produced while ${WORKERS} consumer processes of one group read them: every entry is processed exactly once, in order per consumer, and acknowledged`,
    timeoutMs: 900_000,
    async run(ctx) {
      const { redis } = ctx;
      await redis.xgroupCreate('jobs', 'workers', '0', { mkStream: true });
      // Four processes loading TypeScript on a loaded 2-core machine can take well over 30 s to start.
      const pool = await startCaseWorkers(ctx, WORKERS, { startTimeoutMs: 120_000 });
      let failed: unknown;
      const draining = pool.runAll<StreamDrainResult>(
        'stream/drain',
        (index: number) =>
          ({
            stream: 'jobs',
            group: 'workers',
            consumer: `worker-${index}`,
            count: 50,
            blockMs: 500,
            doneKey: 'jobs:done',
          }) satisfies StreamDrainParams,
      );
      draining.catch((error: unknown) => {
        failed = error;
      });
      const ids: string[] = [];
      for (let start = 0; start < ENTRIES; start += PRODUCE_BATCH) {
        const added = await redis.pipeline((p) =>
          Array.from({ length: PRODUCE_BATCH }, (_, i) => p.xadd('jobs', { n: start + i })),
        );
        for (const outcome of added) ids.push(settledValue(outcome, 'xadd'));
      }
      // A hang guard on progress, not on total time: over REST on a loaded machine the drain is
      // slow but moves; only a group that stops moving fails here.
      let seen = '';
      let movedAt = Date.now();
      for (;;) {
        if (failed) throw failed;
        const [group] = await redis.xinfoGroups('jobs');
        if (group?.lastDeliveredId === ids.at(-1) && group?.pending === 0) break;
        const state = `last delivered ${group?.lastDeliveredId}, ${group?.pending} pending`;
        if (state !== seen) {
          seen = state;
          movedAt = Date.now();
        } else if (Date.now() - movedAt > STALL_GUARD_MS) {
          assert.fail(`the group stopped moving for ${STALL_GUARD_MS} ms (${state})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await redis.set('jobs:done', '1');
      const results = await draining;
      assert.deepEqual(
        results.flatMap((result) => result.errors),
        [],
        'no worker failed',
      );
      const processed = results.flatMap((result) => result.processed);
      assert.equal(processed.length, ENTRIES, 'as many messages processed as entries added');
      assert.equal(new Set(processed).size, ENTRIES, 'no entry processed twice');
      assert.deepEqual([...processed].sort(compareIds), ids, 'every entry processed');
      assert.equal(
        results.reduce((sum, result) => sum + result.acked, 0),
        ENTRIES,
        'every entry acknowledged once',
      );
      assert.equal(
        results.reduce((sum, result) => sum + result.notPending, 0),
        0,
      );
      for (const [index, result] of results.entries()) {
        const sorted = [...result.processed].sort(compareIds);
        assert.deepEqual(result.processed, sorted, `worker ${index} got its entries in stream order`);
      }
      assert.ok(
        results.filter((result) => result.processed.length > 0).length >= 2,
        `the group spread the entries over its consumers (${results.map((r) => r.processed.length).join(', ')})`,
      );
      assert.equal((await redis.xpending('jobs', 'workers')).count, 0, 'nothing left pending');
    },
  },
  {
    slug: 'a-killed-consumer-s-entries-are-claimed',
    name: `a consumer process killed in the middle of a batch of ${CRASH_BATCH} (${CRASH_ACKED} acknowledged, one in hand) leaves the rest pending; another consumer claims them (delivery count 2) and every entry ends acknowledged once`,
    timeoutMs: 240_000,
    async run(ctx) {
      const { redis } = ctx;
      await redis.xgroupCreate('orders', 'billing', '0', { mkStream: true });
      const added = await redis.pipeline((p) =>
        Array.from({ length: CRASH_ENTRIES }, (_, i) => p.xadd('orders', { n: i })),
      );
      const ids = added.map((outcome) => settledValue(outcome, 'xadd'));
      const pool = await startCaseWorkers(ctx, 1, { startTimeoutMs: 120_000 });
      const hold = await pool.run<StreamHoldResult>(0, 'stream/hold', {
        stream: 'orders',
        group: 'billing',
        consumer: 'doomed',
        count: CRASH_BATCH,
        ack: CRASH_ACKED,
      } satisfies StreamHoldParams);
      const inBatch = ids.slice(0, CRASH_BATCH);
      assert.deepEqual(hold.acked, inBatch.slice(0, CRASH_ACKED), 'it acknowledged the first of its batch');
      assert.equal(hold.held, inBatch[CRASH_ACKED], 'and holds the next one');
      const stranded = inBatch.slice(CRASH_ACKED);
      const before = await redis.xpending('orders', 'billing');
      assert.deepEqual(
        before.consumers,
        [{ name: 'doomed', pending: stranded.length }],
        'the rest of its batch is pending for it',
      );

      const pid = pool.pids[0]!;
      process.kill(pid, 'SIGKILL');
      await eventually(async () => !isAlive(pid), 'the killed worker is gone', { timeoutMs: 30_000 });

      const got = new Map<string, number>();
      const survivor = redis.consume('orders', {
        group: 'billing',
        consumer: 'survivor',
        count: CRASH_BATCH,
        blockMs: 200,
        claimIdleMs: 200,
        signal: AbortSignal.timeout(CLAIM_GUARD_MS),
      });
      for await (const message of survivor) {
        assert.equal(got.has(message.id), false, `${message.id} was handed out twice`);
        got.set(message.id, message.deliveryCount);
        assert.equal(await message.ack(), true, `${message.id} was pending until acknowledged`);
        if (got.size === CRASH_ENTRIES - CRASH_ACKED) break;
      }
      assert.equal(got.size, CRASH_ENTRIES - CRASH_ACKED, 'the survivor got every entry not acknowledged');
      for (const id of hold.acked) assert.equal(got.has(id), false, `${id} was acknowledged before the kill`);
      for (const id of stranded) {
        assert.equal(got.get(id), 2, `${id} was claimed from the killed consumer: its second delivery`);
      }
      for (const id of ids.slice(CRASH_BATCH)) assert.equal(got.get(id), 1, `${id} was a first delivery`);
      assert.equal(survivor.stats.claimed, stranded.length, 'exactly the stranded entries were claimed');
      assert.equal((await redis.xpending('orders', 'billing')).count, 0, 'nothing left pending');
      const consumers = await redis.xinfoConsumers('orders', 'billing');
      assert.equal(consumers.find((consumer) => consumer.name === 'doomed')?.pending, 0);
    },
  },
]);
