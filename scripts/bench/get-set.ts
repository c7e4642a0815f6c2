/** GET/SET at 64 concurrency: each adapter's service against its raw driver, as a ratio. */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { Redis } from 'ioredis';
import { compare, type Operation } from './measure.js';

const CONCURRENCY = 64;
const TOTAL = Number(process.env.BENCH_OPS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const KEYS = 1000;
const VALUE = 'x'.repeat(64);

/** Alternates SET and GET over a small key space, the classic cache mix. */
function getSet(
  get: (key: string) => Promise<unknown>,
  set: (key: string, value: string) => Promise<unknown>,
): Operation {
  return (i) => (i % 2 === 0 ? set(`bench:${i % KEYS}`, VALUE) : get(`bench:${i % KEYS}`));
}

export async function benchGetSet(url: string): Promise<void> {
  const raw = new Redis(url);
  // ioredis' own per-tick batching: the fairest raw reference for a service that coalesces writes.
  const rawPipelined = new Redis(url, { enableAutoPipelining: true });
  const service = createIoredisService({ url, maxInflight: 256 });
  try {
    const results = await compare(
      {
        'raw ioredis': getSet(
          (key) => raw.get(key),
          (key, value) => raw.set(key, value),
        ),
        'raw ioredis (autopipe)': getSet(
          (key) => rawPipelined.get(key),
          (key, value) => rawPipelined.set(key, value),
        ),
        'service (ioredis)': getSet(
          (key) => service.get(key),
          (key, value) => service.set(key, value),
        ),
      },
      { total: TOTAL, concurrency: CONCURRENCY, rounds: ROUNDS, warmup: 5_000 },
    );
    report('GET/SET, 64 concurrent', results, [
      ['service (ioredis)', 'raw ioredis', 0.95],
      ['service (ioredis)', 'raw ioredis (autopipe)', 0.95],
    ]);
  } finally {
    raw.disconnect();
    rawPipelined.disconnect();
    await service.close();
  }
}

/** Prints ops/s per contender and each ratio with its target. */
export function report(
  title: string,
  results: Record<string, number>,
  ratios: readonly (readonly [string, string, number])[],
): void {
  console.log(title);
  for (const [name, ops] of Object.entries(results))
    console.log(`  ${name.padEnd(24)} ${Math.round(ops).toLocaleString('en-US').padStart(10)} ops/s`);
  for (const [ours, theirs, target] of ratios) {
    const ratio = results[ours]! / results[theirs]!;
    console.log(`  ratio ${ours} / ${theirs}: ${ratio.toFixed(3)} (target >= ${target})`);
  }
  console.log('');
}
