/** GET/SET at 64 concurrency: each adapter's service against its raw driver, as ratios. */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import { createUpstashService } from '@redis-service/adapter-upstash';
import { startUpstashBridge } from '@redis-service/conformance/bridge';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { compare, type Operation } from './measure.js';
import { report } from './report.js';

const CONCURRENCY = 64;
const TOTAL = Number(process.env.BENCH_OPS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const KEYS = 1000;
const VALUE = 'x'.repeat(64);

/** A driver under test: its GET and SET, and how to close it. */
interface Contender {
  readonly get: (key: string) => Promise<unknown>;
  readonly set: (key: string, value: string) => Promise<unknown>;
  readonly close: () => Promise<unknown> | unknown;
}

/** Alternates SET and GET over a small key space, the classic cache mix. */
function getSet(contender: Contender): Operation {
  return (i) =>
    i % 2 === 0 ? contender.set(`bench:${i % KEYS}`, VALUE) : contender.get(`bench:${i % KEYS}`);
}

async function run(
  title: string,
  contenders: Record<string, Contender>,
  ratios: readonly (readonly [string, string, number])[],
  total = TOTAL,
): Promise<void> {
  try {
    const operations = Object.fromEntries(Object.entries(contenders).map(([name, c]) => [name, getSet(c)]));
    const results = await compare(operations, {
      total,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      warmup: Math.min(5_000, total),
    });
    report(title, results, ratios);
  } finally {
    for (const contender of Object.values(contenders)) await contender.close();
  }
}

/** ioredis: the service against a default client and against ioredis' own auto-pipelining. */
async function benchIoredis(url: string): Promise<void> {
  const raw = new Redis(url);
  // ioredis' own per-tick batching: the fairest raw reference for a service that coalesces writes.
  const pipelined = new Redis(url, { enableAutoPipelining: true });
  const service = createIoredisService({ url, maxInflight: 256 });
  await run(
    'ioredis: GET/SET, 64 concurrent',
    {
      'raw ioredis': { get: (k) => raw.get(k), set: (k, v) => raw.set(k, v), close: () => raw.disconnect() },
      'raw ioredis (autopipe)': {
        get: (k) => pipelined.get(k),
        set: (k, v) => pipelined.set(k, v),
        close: () => pipelined.disconnect(),
      },
      'service (ioredis)': {
        get: (k) => service.get(k),
        set: (k, v) => service.set(k, v),
        close: () => service.close(),
      },
    },
    [
      ['service (ioredis)', 'raw ioredis', 0.95],
      ['service (ioredis)', 'raw ioredis (autopipe)', 0.95],
    ],
  );
}

/** node-redis: the service against a default client (which pipelines within a tick on its own). */
async function benchNodeRedis(url: string): Promise<void> {
  const raw = createClient({ url });
  raw.on('error', () => {});
  await raw.connect();
  const service = createNodeRedisService({ url, maxInflight: 256 });
  await run(
    'node-redis: GET/SET, 64 concurrent',
    {
      'raw node-redis': { get: (k) => raw.get(k), set: (k, v) => raw.set(k, v), close: () => raw.destroy() },
      'service (node-redis)': {
        get: (k) => service.get(k),
        set: (k, v) => service.set(k, v),
        close: () => service.close(),
      },
    },
    [['service (node-redis)', 'raw node-redis', 0.95]],
  );
}

/** Upstash through the kit's local REST bridge: the service against the raw @upstash/redis client. */
async function benchUpstash(redisUrl: string): Promise<void> {
  const bridge = await startUpstashBridge({ redisUrl });
  const raw = new UpstashRedis({ url: bridge.url, token: bridge.token, enableTelemetry: false });
  const service = createUpstashService({ url: bridge.url, token: bridge.token, maxInflight: 256 });
  try {
    await run(
      'upstash (REST bridge): GET/SET, 64 concurrent',
      {
        'raw @upstash/redis': { get: (k) => raw.get(k), set: (k, v) => raw.set(k, v), close: () => {} },
        'service (upstash)': {
          get: (k) => service.get(k),
          set: (k, v) => service.set(k, v),
          close: () => service.close(),
        },
      },
      [['service (upstash)', 'raw @upstash/redis', 0.95]],
      Math.min(TOTAL, 10_000),
    );
  } finally {
    await bridge.close();
  }
}

/** Every GET/SET comparison, one adapter after another, on the same server. */
export async function benchGetSet(url: string): Promise<void> {
  await benchIoredis(url);
  await benchNodeRedis(url);
  await benchUpstash(url);
}
