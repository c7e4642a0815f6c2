import { RedisService } from '@redis-service/core';
import { startRedisServer } from '../packages/conformance/src/harness/index.js';
import { abortRace } from '../packages/conformance/src/cases/integration/support/abort-race.js';
import { WorkerPool } from '../packages/conformance/src/workers/worker-pool.js';
import type { WatchIncrementResult } from '../packages/conformance/src/workers/jobs/watch-increment.js';
import { ioredisAdapter } from '../packages/adapter-ioredis/test/conformance-adapter.js';
import { nodeRedisAdapter } from '../packages/adapter-node-redis/test/conformance-adapter.js';

const RUNS = Number(process.env.RUNS ?? 30);
const server = await startRedisServer();
try {
  for (const adapter of [ioredisAdapter, nodeRedisAdapter]) {
    const made = async () => {
      const created = await adapter.createDriver({ url: server.url });
      return 'driver' in created ? created.driver : created;
    };
    let failures = 0;
    const totals = { pushed: 0, popped: 0, left: 0, aborted: 0, late: 0 };
    for (let run = 0; run < RUNS; run++) {
      const prefix = `stress:${adapter.name}:${run}:`;
      const redis = new RedisService(await made(), { keyPrefix: prefix, maxDedicatedConnections: 4 });
      const pusher = new RedisService(await made(), { keyPrefix: prefix });
      const c = await abortRace(redis, pusher, 'q', 2000, 4);
      const all = [...c.popped, ...c.left];
      const ok = c.unexpected.length === 0 && all.length === c.pushed && new Set(all).size === c.pushed;
      if (!ok) failures++;
      totals.pushed += c.pushed; totals.popped += c.popped.length; totals.left += c.left.length; totals.aborted += c.aborted; totals.late += c.deliveredAfterAbort;
      console.log(`${adapter.name} abort run ${run}: pushed ${c.pushed} popped ${c.popped.length} (after abort ${c.deliveredAfterAbort}) left ${c.left.length} aborted ${c.aborted} unexpected ${c.unexpected.length} ${ok ? 'OK' : 'FAIL ' + c.unexpected.slice(0, 3).join('; ')}`);
      await pusher.delete('q');
      await redis.close(); await pusher.close();
    }
    console.log(`${adapter.name} ABORT SUMMARY: ${RUNS} runs, ${failures} failed, totals ${JSON.stringify(totals)}`);
    let watchFailures = 0; let conflicts = 0;
    for (let run = 0; run < RUNS; run++) {
      const prefix = `stressw:${adapter.name}:${run}:`;
      const pool = await WorkerPool.start({ adapter, url: server.url, prefix, size: 4 });
      try {
        const results = await pool.runAll<WatchIncrementResult>('watch/increment', { key: 'counter', increments: 250, concurrency: 2, maxRetries: 10_000, startAtMs: Date.now() + 200 });
        const check = new RedisService(await made(), { keyPrefix: prefix });
        const value = await check.get('counter');
        await check.delete('counter'); await check.close();
        const committed = results.reduce((s, r) => s + r.committed, 0);
        const c = results.reduce((s, r) => s + r.conflicts, 0);
        const errors = results.flatMap((r) => r.errors);
        conflicts += c;
        const ok = value === '1000' && committed === 1000 && errors.length === 0;
        if (!ok) watchFailures++;
        console.log(`${adapter.name} watch run ${run}: counter ${value} committed ${committed} conflicts ${c} errors ${errors.length} ${ok ? 'OK' : 'FAIL ' + errors.slice(0, 2).join('; ')}`);
      } finally { await pool.close(); }
    }
    console.log(`${adapter.name} WATCH SUMMARY: ${RUNS} runs, ${watchFailures} failed, ${conflicts} conflicts in total`);
  }
} finally {
  await server.stop();
}
