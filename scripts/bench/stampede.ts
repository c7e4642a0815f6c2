/**
 * getOrCompute stampede: how soon waiters in other services (own connections, as other processes
 * would have) get the value after the owner's compute returns. Pub/sub wake-up against the bounded
 * polling fallback, over ioredis. Target: <= 5 ms at p99 with pub/sub.
 */
import { createIoredisDriverFromUrl } from '@redis-service/adapter-ioredis';
import { cacheKeys, type RedisDriver, RedisService } from '@redis-service/core';

const ROUNDS = 200;
const WAITER_SERVICES = 4;
const CALLS_PER_SERVICE = 250;
const TARGET_P99_MS = 5;

/** The same driver with `pubsub` hidden, so getOrCompute falls back to polling. */
function withoutPubsub(driver: RedisDriver): RedisDriver {
  return {
    name: driver.name,
    capabilities: { ...driver.capabilities, pubsub: false },
    send: (command, options) => driver.send(command, options),
    batch: (commands, options) => driver.batch(commands, options),
    evalScript: (script, keys, args, options) => driver.evalScript(script, keys, args, options),
    close: () => driver.close(),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Runs the rounds in one mode and returns every waiter's wake latency (ms). */
async function measure(url: string, pubsub: boolean): Promise<number[]> {
  const prefix = `bench:goc:${pubsub ? 'pubsub' : 'polling'}:`;
  const open = (): RedisService => {
    const driver = createIoredisDriverFromUrl({ url });
    return new RedisService(pubsub ? driver : withoutPubsub(driver), { keyPrefix: prefix, maxInflight: 512 });
  };
  const owner = open();
  const waiters = Array.from({ length: WAITER_SERVICES }, open);
  const latencies: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `k:${round}`;
      const keys = cacheKeys(prefix, key);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let computed = 0;
      const options = { ttlMs: 60_000, lockTtlMs: 10_000, waitTimeoutMs: 10_000 };
      const owned = owner.getOrCompute(
        key,
        async () => {
          await gate;
          computed = performance.now();
          return { round };
        },
        options,
      );
      await until(async () => (await owner.get(keys.lock)) !== null);
      const woken = waiters.map((service) =>
        Promise.all(
          Array.from({ length: CALLS_PER_SERVICE }, () =>
            service.getOrCompute(key, () => Promise.reject(new Error('a waiter computed')), options),
          ),
        ).then(() => performance.now()),
      );
      if (pubsub) {
        // Every waiter service is subscribed to the key's channel before the value is written.
        await until(async () => {
          const reply = await owner.command(['PUBSUB', 'NUMSUB', keys.channel]);
          return Array.isArray(reply) && Number(reply[1]) === WAITER_SERVICES;
        });
      } else {
        // Let the pollers reach a steady pause, as they would behind a real compute.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      release();
      await owned;
      for (const at of await Promise.all(woken)) latencies.push(at - computed);
    }
  } finally {
    await owner.close();
    for (const service of waiters) await service.close();
  }
  return latencies;
}

/** Prints waiter wake-up latency, p50/p99, for pub/sub and for polling. */
export async function benchStampede(url: string): Promise<void> {
  console.log(
    `getOrCompute stampede: ${WAITER_SERVICES} waiter services x ${CALLS_PER_SERVICE} calls, ${ROUNDS} rounds (ioredis)`,
  );
  console.log('  wake latency = waiter resolves - owner compute returns (includes the write round trip)');
  for (const pubsub of [true, false]) {
    const sorted = (await measure(url, pubsub)).sort((a, b) => a - b);
    const [p50, p99] = [percentile(sorted, 50), percentile(sorted, 99)];
    const target = pubsub
      ? ` (target p99 <= ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'MISSED'})`
      : '';
    console.log(
      `  ${(pubsub ? 'pub/sub' : 'polling').padEnd(8)} p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms${target}`,
    );
  }
  console.log('');
}
