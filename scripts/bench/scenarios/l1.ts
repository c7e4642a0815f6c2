/**
 * The L1 (issue 13): hits of getOrCompute with an L1 against getOrCompute without one and against
 * bentocache's memory + Redis tiers, on the same 1000 keys held in memory; the hit latency; the
 * invalidation delay of an outside write while the process is busy; and what the two tracking
 * modes cost (why the L1 uses BCAST).
 */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import type { RedisService } from '@redis-service/core';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import type {
  BenchContext,
  ContenderSpec,
  ReportScenario,
  ThroughputScenario,
} from '../framework/scenario.js';
import { percentile } from '../framework/stats.js';
import { SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

/** How many keys the hit workloads spread over: all of them held in every contender's L1. */
const KEYS = 1000;
const TTL_MS = 10 * 60_000;
const value = (i: number) => ({ id: i, name: `user number ${i}`, roles: ['reader', 'writer'], active: true });

const OURS_L1 = 'getOrCompute + L1 (ioredis)';
const OURS_L2 = 'getOrCompute, Redis only (ioredis)';
const BENTO = 'bentocache memory + redis';
const BENTO_RAW = 'bentocache memory (serialize: false) + redis';

/** The operation every contender runs: key i % KEYS through its getOrCompute. */
type GetOrCompute = (key: string, compute: () => unknown) => Promise<unknown>;

interface OpenedCache {
  readonly getOrCompute: GetOrCompute;
  close(): Promise<unknown>;
}

function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

function openOurs(ctx: BenchContext, prefix: string, l1: boolean): OpenedCache {
  const service = createIoredisService({
    url: ctx.redisUrl,
    keyPrefix: prefix,
    maxInflight: SWEEP_MAX_INFLIGHT,
    ...(l1 ? { l1: { maxEntries: 10_000 } } : {}),
  });
  const options = { ttlMs: TTL_MS };
  return {
    getOrCompute: (key, compute) => service.getOrCompute(key, compute, options),
    close: () => service.close(),
  };
}

function openBento(ctx: BenchContext, prefix: string, serialize: boolean): OpenedCache {
  const connection = hostPort(ctx.redisUrl);
  const bento = new BentoCache({
    default: 'tiered',
    prefix,
    stores: {
      tiered: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 10_000, serialize }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection })),
    },
  });
  return {
    getOrCompute: (key, compute) => bento.getOrSet({ key, factory: compute, ttl: TTL_MS }),
    close: () => bento.disconnectAll(),
  };
}

/** Opens a cache and fills its L1 with every key (twice: the second pass is served from it). */
async function warmed(open: () => OpenedCache): Promise<OpenedCache> {
  const cache = open();
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < KEYS; i++) await cache.getOrCompute(`k:${i}`, () => value(i));
  }
  return cache;
}

/**
 * An in-memory hit settles in a microtask, so callers that only ever hit would never let the
 * event loop reach its timers (the sampler's deadline among them). Every ~2 ms every caller's
 * next operation first waits for one turn of the loop: the same small cost for every contender.
 */
function cooperative(run: (i: number) => Promise<unknown>): (i: number) => Promise<unknown> {
  let sliceStarted = performance.now();
  let turnPending = false;
  let turn: Promise<void> | undefined;
  return (i) => {
    if (!turnPending && performance.now() - sliceStarted > 2) {
      turnPending = true;
      turn = new Promise((resolve) =>
        setImmediate(() => {
          turnPending = false;
          sliceStarted = performance.now();
          resolve();
        }),
      );
    }
    return turnPending && turn ? turn.then(() => run(i)) : run(i);
  };
}

function hitContender(
  name: string,
  role: 'ours' | 'peer',
  open: (ctx: BenchContext) => OpenedCache,
): ContenderSpec {
  return {
    name,
    role,
    async open(ctx) {
      const cache = await warmed(() => open(ctx));
      // Every key is held: a compute here means the contender lost one (reported at the end).
      let misses = 0;
      const compute = () => {
        misses++;
        return value(-1);
      };
      return {
        operation: cooperative((i) => cache.getOrCompute(`k:${i % KEYS}`, compute)),
        close: () => {
          if (misses > 0) console.log(`  note: ${name} computed ${misses} times in a workload of hits`);
          return cache.close();
        },
      };
    },
  };
}

/** Hit throughput: every key held in every contender's L1 (ours also against ours without one). */
export const l1HitThroughput: ThroughputScenario = {
  kind: 'throughput',
  id: 'l1/hits',
  title: 'getOrCompute hits on 1000 keys held in memory: L1 vs Redis only vs bentocache',
  unit: 'hits/s',
  contenders: [
    hitContender(OURS_L1, 'ours', (ctx) => openOurs(ctx, 'bench:l1:ours:', true)),
    hitContender(OURS_L2, 'ours', (ctx) => openOurs(ctx, 'bench:l1:l2:', false)),
    hitContender(BENTO, 'peer', (ctx) => openBento(ctx, 'bench:l1:bento', true)),
    hitContender(BENTO_RAW, 'peer', (ctx) => openBento(ctx, 'bench:l1:bentoraw', false)),
  ],
  targets: [
    { ours: OURS_L1, theirs: [BENTO, BENTO_RAW], atLeast: 1 },
    { ours: OURS_L1, theirs: OURS_L2 },
  ],
};

const ns = () => process.hrtime.bigint();
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};
type Summary = ReturnType<typeof summary>;
const showUs = (s: Summary) =>
  `p50 ${s.p50.toFixed(2)} µs, p99 ${s.p99.toFixed(2)} µs, max ${s.max.toFixed(0)} µs`;
const showMs = (s: Summary) =>
  `p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(2)} ms`;

/** The latency of one hit, one caller at a time, each contender in turn. */
export const l1HitLatency: ReportScenario = {
  kind: 'report',
  id: 'l1/hit-latency',
  title: 'getOrCompute hit latency, one caller: L1 vs Redis only vs bentocache',
  async run(ctx) {
    const hits = ctx.options.quick ? 20_000 : 200_000;
    const caches: [string, OpenedCache][] = [
      [OURS_L1, await warmed(() => openOurs(ctx, 'bench:l1lat:ours:', true))],
      [OURS_L2, await warmed(() => openOurs(ctx, 'bench:l1lat:l2:', false))],
      [BENTO, await warmed(() => openBento(ctx, 'bench:l1lat:bento', true))],
      [BENTO_RAW, await warmed(() => openBento(ctx, 'bench:l1lat:bentoraw', false))],
    ];
    const compute = () => value(-1);
    const lines: string[] = [];
    const values: Record<string, Summary> = {};
    try {
      for (const [name, cache] of caches) {
        // Redis round trips take far longer: fewer of them say as much.
        const count = name === OURS_L2 ? Math.min(hits, 20_000) : hits;
        const latencies: number[] = [];
        for (let i = 0; i < count; i++) {
          const started = ns();
          await cache.getOrCompute(`k:${i % KEYS}`, compute);
          latencies.push(Number(ns() - started) / 1000);
        }
        values[name] = summary(latencies);
        lines.push(`  ${name.padEnd(46)} ${showUs(values[name]!)}`);
      }
    } finally {
      for (const [, cache] of caches) await cache.close();
    }
    return { lines, values };
  },
};

/** Opens a service with an L1 over `adapter`. */
function l1Service(ctx: BenchContext, adapter: 'ioredis' | 'node-redis', prefix: string): RedisService {
  const options = { url: ctx.redisUrl, keyPrefix: prefix, maxInflight: SWEEP_MAX_INFLIGHT, l1: {} };
  return adapter === 'ioredis' ? createIoredisService(options) : createNodeRedisService(options);
}

const HOT_KEYS = 1000;
const BUSY_CALLERS = 64;

/**
 * The invalidation delay while the process is busy: 64 callers read the 1000 hot keys from the L1
 * without pause, a raw ioredis client writes other keys under the prefix at a steady pace (every
 * write is an invalidation the L1 receives), and probe writes of hot keys are timed from the
 * moment the SET is sent to the first read that no longer sees the old value.
 */
export function l1InvalidationDelay(adapter: 'ioredis' | 'node-redis'): ReportScenario {
  return {
    kind: 'report',
    id: `l1/invalidation-delay/${adapter}`,
    title: `L1 invalidation delay under load (64 readers, background writes), ${adapter}`,
    async run(ctx) {
      const probes = ctx.options.quick ? 100 : 1000;
      const prefix = `bench:l1inv:${adapter}:`;
      const service = l1Service(ctx, adapter, prefix);
      const writer = new Redis(ctx.redisUrl);
      const background = new Redis(ctx.redisUrl);
      let busy = true;
      let reads = 0;
      let backgroundWrites = 0;
      const delays: number[] = [];
      try {
        await service.l1.ready();
        for (let i = 0; i < HOT_KEYS; i++) await writer.set(`${prefix}hot:${i}`, 'v0');
        for (let pass = 0; pass < 2; pass++)
          for (let i = 0; i < HOT_KEYS; i++) await service.l1.get(`hot:${i}`);
        const readers = Array.from({ length: BUSY_CALLERS }, async (_, caller) => {
          for (let i = caller, mine = 1; busy; i += BUSY_CALLERS, mine++) {
            await service.l1.get(`hot:${i % HOT_KEYS}`);
            reads++;
            // A hit settles in a microtask: a caller that never waited for I/O would starve it.
            if (mine % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
        });
        const writes = (async () => {
          for (let i = 0; busy; i++) {
            await background.set(`${prefix}cold:${i % 10_000}`, String(i));
            backgroundWrites++;
          }
        })();
        const current = new Map<string, string>();
        const started = performance.now();
        for (let probe = 0; probe < probes; probe++) {
          const key = `hot:${probe % HOT_KEYS}`;
          const next = `v${probe + 1}`;
          // Held in the L1 with its current value before it is changed.
          while ((await service.l1.get(key)) !== (current.get(key) ?? 'v0')) {
            await new Promise((resolve) => setImmediate(resolve));
          }
          current.set(key, next);
          const sent = performance.now();
          const writing = writer.set(`${prefix}${key}`, next);
          while ((await service.l1.get(key)) !== next) await new Promise((resolve) => setImmediate(resolve));
          delays.push(performance.now() - sent);
          await writing;
        }
        const seconds = (performance.now() - started) / 1000;
        busy = false;
        await Promise.all([...readers, writes]);
        const delay = summary(delays);
        return {
          lines: [
            `  ${probes} probes: SET sent -> the L1 no longer serves the old value: ${showMs(delay)}`,
            `  meanwhile ${Math.round(reads / seconds)} L1 reads/s and ${Math.round(backgroundWrites / seconds)} other writes/s under the prefix`,
          ],
          values: { delay, readsPerSecond: reads / seconds, writesPerSecond: backgroundWrites / seconds },
        };
      } finally {
        busy = false;
        writer.disconnect();
        background.disconnect();
        await service.close();
      }
    },
  };
}

/**
 * Why BCAST: what each CLIENT TRACKING mode makes the server send, for an L1 that holds 10% of
 * 10 000 keys while all of them are written once. Default mode (Redis remembers the keys each
 * connection read) sends invalidations only for the keys read, but only for reads made on the
 * tracking connection itself: the L1's reads could not use the service's shared connection (its
 * limiter, its corked writes), and the server keeps a table entry per key read. BCAST sends an
 * invalidation for every write under the prefix and keeps nothing per key.
 */
export const l1TrackingModes: ReportScenario = {
  kind: 'report',
  id: 'l1/tracking-modes',
  title: 'CLIENT TRACKING: BCAST vs default mode, 10 000 keys written, 1000 of them read',
  async run(ctx) {
    const total = 10_000;
    const read = 1000;
    const results: Record<string, { keys: number; messages: number; trackedKeys: number }> = {};
    for (const mode of ['bcast', 'default'] as const) {
      const prefix = `bench:l1modes:${mode}:`;
      // RESP2, as the adapters' connections: invalidations arrive as messages on __redis__:invalidate.
      const listener = new Redis(ctx.redisUrl, { protocol: 2 });
      const reader = new Redis(ctx.redisUrl, { protocol: 2 });
      const writer = new Redis(ctx.redisUrl);
      try {
        let keys = 0;
        let messages = 0;
        listener.on('messageBuffer', (_channel: Buffer, payload: unknown) => {
          messages++;
          keys += Array.isArray(payload) ? payload.length : 0;
        });
        const listenerId = Number(await listener.call('CLIENT', 'ID'));
        if (mode === 'bcast') {
          await listener.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', listenerId, 'BCAST', 'PREFIX', prefix);
        } else {
          await reader.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', listenerId);
        }
        await listener.subscribe('__redis__:invalidate');
        const pipeline = writer.pipeline();
        for (let i = 0; i < total; i++) pipeline.set(`${prefix}${i}`, 'v0');
        await pipeline.exec();
        // Default mode tracks what the reader reads; BCAST needs no reads at all.
        for (let i = 0; i < read; i++) await reader.get(`${prefix}${i}`);
        const info = String(await writer.info('stats'));
        const trackedKeys = Number(/tracking_total_keys:(\d+)/.exec(info)?.[1] ?? Number.NaN);
        keys = 0;
        messages = 0;
        const again = writer.pipeline();
        for (let i = 0; i < total; i++) again.set(`${prefix}${i}`, 'v1');
        await again.exec();
        const expected = mode === 'bcast' ? total : read;
        const deadline = Date.now() + 10_000;
        while (keys < expected && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, 50));
        results[mode] = { keys, messages, trackedKeys };
      } finally {
        listener.disconnect();
        reader.disconnect();
        writer.disconnect();
      }
    }
    const lines = (['bcast', 'default'] as const).map((mode) => {
      const r = results[mode]!;
      return `  ${mode.padEnd(8)} ${String(r.keys).padStart(6)} keys invalidated in ${String(r.messages).padStart(6)} messages; server tracking table: ${r.trackedKeys} keys`;
    });
    lines.push(
      '  the L1 uses BCAST: its reads stay on the shared connection, the server keeps nothing per key; the price is one invalidation per write under the prefix',
    );
    return { lines, values: results };
  },
};
