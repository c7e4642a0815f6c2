/**
 * Cross-process getOrCompute wake-up: the owner (this process) holds the lease of a key while
 * 4 worker processes x 250 callers wait for it, every waiter subscribed; then the owner's compute
 * returns. Latency = a caller's promise resolving in its process - the owner's compute returning
 * here, on CLOCK_MONOTONIC (one clock for every process of the machine). It includes the owner's
 * write (the script that stores the value and publishes the notice), so it is an upper bound of
 * the time after the value is written. Where the time goes: the owner's write round trip, the
 * notice's delivery to each process (a subscription of its own), and the wake-up after it.
 */
import { cacheKeys } from '@redis-service/core';
import type { BenchContext, ReportScenario } from '../framework/scenario.js';
import { percentile } from '../framework/stats.js';
import { openWakeUpService, type WakeUpEndpoint } from '../wake-up/open-service.js';
import type { WakeUpAdapter } from '../wake-up/protocol.js';
import { WakeUpWorker } from '../wake-up/worker-pool.js';

const PROCESSES = 4;
const CALLERS_PER_PROCESS = 250;
const TARGET_P99_MS = 5;
const hr = () => process.hrtime.bigint();
const ms = (ns: bigint) => Number(ns) / 1e6;

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('wake-up: a round did not get ready within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function endpoint(ctx: BenchContext, adapter: WakeUpAdapter): Promise<WakeUpEndpoint> {
  if (adapter !== 'upstash') return { url: ctx.redisUrl };
  const { url, token } = await ctx.bridge();
  return { url, token };
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};
const show = (s: ReturnType<typeof summary>) =>
  `p50 ${s.p50.toFixed(2)}, p99 ${s.p99.toFixed(2)}, max ${s.max.toFixed(2)} ms`;

/** The wake-up scenario over one adapter; with `target`, p99 must be at most 5 ms. */
export function wakeUpScenario(adapter: WakeUpAdapter, target: boolean): ReportScenario {
  return {
    kind: 'report',
    id: `wake-up/${adapter}`,
    title: `getOrCompute wake-up across ${PROCESSES} processes x ${CALLERS_PER_PROCESS} callers, ${adapter}`,
    async run(ctx) {
      const rounds = ctx.options.quick ? 20 : 100;
      const prefix = `bench:wake:${adapter}:`;
      const where = await endpoint(ctx, adapter);
      const owner = openWakeUpService(adapter, where, prefix);
      const workers = Array.from({ length: PROCESSES }, () => new WakeUpWorker());
      const latencies: number[] = [];
      const writes: number[] = [];
      const deliveries: number[] = [];
      const wakes: number[] = [];
      try {
        for (const worker of workers) worker.send({ type: 'start', adapter, ...where, prefix });
        await Promise.all(workers.map((worker) => worker.next('ready')));
        const options = { ttlMs: 60_000, lockTtlMs: 10_000, waitTimeoutMs: 10_000 };
        for (let round = 0; round < rounds; round++) {
          const key = `k:${round}`;
          const keys = cacheKeys(prefix, key);
          let release!: () => void;
          const gate = new Promise<void>((resolve) => {
            release = resolve;
          });
          let computedAt = 0n;
          const owned = owner.getOrCompute(
            key,
            async () => {
              await gate;
              computedAt = hr();
              return { round, at: Date.now() };
            },
            options,
          );
          await until(async () => (await owner.get(keys.lock)) !== null);
          for (const worker of workers) worker.send({ type: 'round', key, callers: CALLERS_PER_PROCESS });
          await Promise.all(workers.map((worker) => worker.next('waiting')));
          // Each process has two subscriptions on the channel (the cache's and the probe's).
          await until(async () => {
            const reply = await owner.command(['PUBSUB', 'NUMSUB', keys.channel]);
            return Array.isArray(reply) && Number(reply[1]) >= 2 * PROCESSES;
          });
          release();
          await owned;
          writes.push(ms(hr() - computedAt));
          for (const woken of await Promise.all(workers.map((worker) => worker.next('woken')))) {
            if (woken.errors.length > 0) throw new Error(`wake-up: waiters failed: ${woken.errors[0]}`);
            for (const at of woken.resolvedAt) latencies.push(ms(BigInt(at) - computedAt));
            if (woken.noticeAt !== undefined) {
              const notice = BigInt(woken.noticeAt);
              deliveries.push(ms(notice - computedAt));
              const last = woken.resolvedAt.reduce((max, at) => (BigInt(at) > max ? BigInt(at) : max), 0n);
              wakes.push(ms(last - notice));
            }
          }
        }
      } finally {
        await Promise.all(workers.map((worker) => worker.close()));
        await owner.close();
      }
      const total = summary(latencies);
      const lines = [
        `${rounds} rounds, ${latencies.length} waiters: from the owner's compute returning to each waiter resolving`,
        `  total (the target):                       ${show(total)}`,
        `  owner's write (script round trip):        ${show(summary(writes))}`,
        `  notice delivered to each process:         ${show(summary(deliveries))}`,
        `  last caller resolved after the notice:    ${show(summary(wakes))}`,
      ];
      return {
        lines,
        values: {
          rounds,
          total,
          write: summary(writes),
          delivery: summary(deliveries),
          wake: summary(wakes),
        },
        targets: target
          ? [{ label: 'p99 wake-up', value: total.p99, unit: 'ms', bound: TARGET_P99_MS, kind: 'max' }]
          : [],
      };
    },
  };
}
