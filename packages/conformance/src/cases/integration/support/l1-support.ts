import type { L1Stats, RedisDriver, RedisService } from '@redis-service/core';

/** How long anything a case waits for may take: a hang guard, generous for shared machines. */
export const L1_WAIT_MS = 10_000;

/** Yields to I/O (sockets, timers) once: a poll loop on it sees a message as soon as it is handled. */
export const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Polls `check` (between turns of the event loop) until it holds; throws `what` after `timeoutMs`.
 * A hang guard, never a timing assertion: a slow machine only makes the case slower.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = L1_WAIT_MS,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let turns = 0;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    // Mostly I/O turns, for a prompt reading; a short sleep now and then lets timers run too.
    if (++turns % 64 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    else await yieldToIo();
  }
}

/** A plain client outside the library: a driver of the adapter used directly, under no service. */
export class OutsideWriter {
  constructor(
    readonly driver: RedisDriver,
    readonly prefix: string,
  ) {}

  /** SET straight through the driver; resolves when Redis answered. */
  async set(key: string, value: string, pxMs?: number): Promise<void> {
    const command = ['SET', this.prefix + key, value, ...(pxMs === undefined ? [] : ['PX', pxMs])];
    await this.driver.send(command);
  }

  /** PTTL as Redis reports it right now. */
  async pttl(key: string): Promise<number> {
    return Number(await this.driver.send(['PTTL', this.prefix + key]));
  }
}

/** The counters of `redis`'s L1 right now. */
export const l1Stats = (redis: RedisService): L1Stats => redis.l1.stats;

/**
 * Reads `key` through `redis.l1` until a read is served from the L1 (its hit counter moves):
 * the entry is held. Reads that went to Redis first (e.g. one spoiled by an invalidation still on
 * its way) are simply retried.
 */
export async function holdInL1(redis: RedisService, key: string, expected: string): Promise<void> {
  await waitFor(async () => {
    const hits = l1Stats(redis).hits;
    const value = await redis.l1.get(key);
    if (value !== expected) throw new Error(`expected '${expected}' for ${key}, read '${String(value)}'`);
    return l1Stats(redis).hits > hits;
  }, `${key} held in the L1`);
}

/** p50, p99 and max of `values` (ms), for the case's note. */
export function latencySummary(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] ?? NaN;
  return `p50 ${at(50).toFixed(2)} ms, p99 ${at(99).toFixed(2)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(2)} ms over ${sorted.length}`;
}
