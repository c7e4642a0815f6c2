/**
 * GET/SET on the shared connection with blocking pops waiting on the dedicated ones: the same
 * service with 8 BLPOPs blocked throughout against an idle one, as a ratio (it should be ~1).
 */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import type { RedisService } from '@redis-service/core';
import { compare, type Operation } from './measure.js';
import { report } from './report.js';

const CONCURRENCY = 64;
const BLOCKED_POPS = 8;
const TOTAL = Number(process.env.BENCH_OPS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const VALUE = 'x'.repeat(64);

function getSet(redis: RedisService): Operation {
  return (i) => (i % 2 === 0 ? redis.set(`bench:${i % 1000}`, VALUE) : redis.get(`bench:${i % 1000}`));
}

async function blockedClients(redis: RedisService): Promise<number> {
  const info = String(await redis.command(['INFO', 'clients']));
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0);
}

async function benchOne(
  name: string,
  make: (options: { url: string; keyPrefix: string }) => RedisService,
  url: string,
) {
  const idle = make({ url, keyPrefix: 'bench-idle:' });
  const busy = make({ url, keyPrefix: 'bench-busy:' });
  const pops = Array.from({ length: BLOCKED_POPS }, (_, i) => busy.blpop(`never:${i}`, 0).catch(() => null));
  try {
    while ((await blockedClients(idle)) < BLOCKED_POPS)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const results = await compare(
      { [`${name}, idle`]: getSet(idle), [`${name}, ${BLOCKED_POPS} pops block`]: getSet(busy) },
      { total: TOTAL, concurrency: CONCURRENCY, rounds: ROUNDS, warmup: Math.min(5_000, TOTAL) },
    );
    const stillBlocked = await blockedClients(idle);
    report(
      `${name}: GET/SET, 64 concurrent, while ${stillBlocked} BLPOPs block on dedicated connections`,
      results,
      [[`${name}, ${BLOCKED_POPS} pops block`, `${name}, idle`, 0.9]],
    );
  } finally {
    await busy.close();
    await idle.close();
    await Promise.all(pops);
  }
}

/** The shared connection is not slowed by blocking pops, on every adapter with dedicated connections. */
export async function benchBlocking(url: string): Promise<void> {
  await benchOne(
    'service (ioredis)',
    (options) => createIoredisService({ ...options, maxInflight: 256 }),
    url,
  );
  await benchOne(
    'service (node-redis)',
    (options) => createNodeRedisService({ ...options, maxInflight: 256 }),
    url,
  );
}
