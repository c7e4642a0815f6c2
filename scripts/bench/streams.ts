/**
 * Streams: entries/s for producing (XADD, 64 concurrent callers) and for a consumer group of 4
 * draining a stream (reads of 100, one XACK per entry, awaited), the service against raw ioredis
 * loops doing the same work. The service's consumers are `consume()` iterators on one service
 * (blocking reads on its dedicated connections, acknowledgements on the shared one); the raw
 * consumers are one ioredis client each (a blocking read would stall a shared one).
 *
 * `measureStreams` returns the figures (for a scenario registry); `benchStreams` prints them.
 */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import type { RedisService } from '@redis-service/core';
import { Redis } from 'ioredis';
import { compare, median } from './measure.js';
import { report } from './report.js';

const CONSUMERS = 4;
const READ_COUNT = 100;
const PRODUCE_CONCURRENCY = 64;

/** What `measureStreams` measured, in entries per second (medians of interleaved rounds). */
export interface StreamBenchResult {
  readonly produce: { readonly ours: number; readonly raw: number; readonly rawPipelined: number };
  readonly consume: {
    readonly ours: number;
    readonly raw: number;
    readonly rawPipelined: number;
    /** The median of each round's ours / raw (neighbours in time, so a noisy machine cancels out more). */
    readonly roundRatio: number;
    /** The same against the auto-pipelined raw loop. */
    readonly roundRatioPipelined: number;
  };
}

/** Options of `measureStreams`. */
export interface StreamBenchOptions {
  /** Entries per produce round. Default `BENCH_OPS` or 40 000. */
  readonly produceTotal?: number;
  /** Entries drained per consume round. Default half of `BENCH_OPS` (20 000). */
  readonly consumeTotal?: number;
  /** Rounds per contender. Default `BENCH_ROUNDS` or 5. */
  readonly rounds?: number;
}

/** Fills `stream` with `total` entries (outside any timing) and creates the group at its start. */
async function prepare(raw: Redis, stream: string, total: number): Promise<void> {
  await raw.del(stream);
  for (let start = 0; start < total; start += 1000) {
    const pipeline = raw.pipeline();
    for (let n = start; n < Math.min(total, start + 1000); n++) pipeline.xadd(stream, '*', 'n', String(n));
    await pipeline.exec();
  }
  await raw.xgroup('CREATE', stream, 'group', '0');
}

/** The service's group of 4: `consume()` loops acknowledging each message. Resolves with entries/s. */
async function drainOurs(redis: RedisService, stream: string, total: number): Promise<number> {
  const stop = new AbortController();
  let acked = 0;
  let finished = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONSUMERS }, async (_, index) => {
      const consumer = redis.consume(stream, {
        group: 'group',
        consumer: `c${index}`,
        count: READ_COUNT,
        blockMs: 1000,
        signal: stop.signal,
      });
      for await (const message of consumer) {
        await message.ack();
        if (++acked === total) {
          finished = performance.now();
          stop.abort();
        }
      }
    }),
  );
  return total / ((finished - started) / 1000);
}

/**
 * Raw ioredis: one client per consumer, XREADGROUP ... BLOCK then one XACK per entry, sent on
 * `ackers[index]` (the consumer's own client, or one shared auto-pipelining client).
 */
async function drainRaw(
  clients: readonly Redis[],
  ackers: readonly Redis[],
  stream: string,
  total: number,
): Promise<number> {
  let acked = 0;
  let finished = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, index) => {
      while (acked < total) {
        const reply = (await client.xreadgroup(
          'GROUP',
          'group',
          `c${index}`,
          'COUNT',
          READ_COUNT,
          'BLOCK',
          100,
          'STREAMS',
          stream,
          '>',
        )) as [string, [string, string[]][]][] | null;
        for (const [id] of reply?.[0]?.[1] ?? []) {
          await ackers[index]!.xack(stream, 'group', id);
          if (++acked === total) finished = performance.now();
        }
      }
    }),
  );
  return total / ((finished - started) / 1000);
}

/** Measures producing and consuming entries/s, ours and raw ioredis, on the server at `url`. */
export async function measureStreams(
  url: string,
  options: StreamBenchOptions = {},
): Promise<StreamBenchResult> {
  const produceTotal = options.produceTotal ?? Number(process.env.BENCH_OPS ?? 40_000);
  const consumeTotal = options.consumeTotal ?? Number(process.env.BENCH_OPS ?? 40_000) / 2;
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5);
  const redis = createIoredisService({ url, keyPrefix: 'bench:streams:', maxInflight: 256 });
  const raw = new Redis(url);
  const consumers = Array.from({ length: CONSUMERS }, () => new Redis(url));
  // ioredis' own per-tick batching for the acknowledgements of all four: the strongest raw loop.
  const pipelined = new Redis(url, { enableAutoPipelining: true });
  const sharedAcker = Array.from({ length: CONSUMERS }, () => pipelined);
  try {
    const produced = await compare(
      {
        ours: (i) => redis.xadd('produce:ours', { n: i }),
        raw: (i) => raw.xadd('bench:streams:produce:raw', '*', 'n', String(i)),
        rawPipelined: (i) => pipelined.xadd('bench:streams:produce:raw', '*', 'n', String(i)),
      },
      {
        total: produceTotal,
        concurrency: PRODUCE_CONCURRENCY,
        rounds,
        warmup: Math.min(5_000, produceTotal),
      },
    );
    await raw.del('bench:streams:produce:ours', 'bench:streams:produce:raw');

    const stream = 'bench:streams:consume';
    const samples = { ours: [] as number[], raw: [] as number[], rawPipelined: [] as number[] };
    // One warm-up round each, then interleaved rounds so a noisy machine's drift hits both alike.
    for (let round = -1; round < rounds; round++) {
      await prepare(raw, stream, consumeTotal);
      const ours = await drainOurs(redis, 'consume', consumeTotal);
      await prepare(raw, stream, consumeTotal);
      const theirs = await drainRaw(consumers, consumers, stream, consumeTotal);
      await prepare(raw, stream, consumeTotal);
      const theirsPipelined = await drainRaw(consumers, sharedAcker, stream, consumeTotal);
      if (round >= 0) {
        samples.ours.push(ours);
        samples.raw.push(theirs);
        samples.rawPipelined.push(theirsPipelined);
      }
    }
    await raw.del(stream);
    return {
      produce: { ours: produced.ours!, raw: produced.raw!, rawPipelined: produced.rawPipelined! },
      consume: {
        ours: median(samples.ours),
        raw: median(samples.raw),
        rawPipelined: median(samples.rawPipelined),
        roundRatio: median(samples.ours.map((ours, i) => ours / samples.raw[i]!)),
        roundRatioPipelined: median(samples.ours.map((ours, i) => ours / samples.rawPipelined[i]!)),
      },
    };
  } finally {
    await redis.close();
    raw.disconnect();
    for (const client of consumers) client.disconnect();
    pipelined.disconnect();
  }
}

/** Prints the streams figures and their ratios (target >= 0.95). */
export async function benchStreams(url: string): Promise<void> {
  const result = await measureStreams(url);
  report(
    `streams: XADD, ${PRODUCE_CONCURRENCY} concurrent (entries/s)`,
    {
      'service (ioredis)': result.produce.ours,
      'raw ioredis': result.produce.raw,
      'raw, auto-pipelined': result.produce.rawPipelined,
    },
    [
      ['service (ioredis)', 'raw ioredis', 0.95],
      ['service (ioredis)', 'raw, auto-pipelined', 0.95],
    ],
  );
  report(
    `streams: a group of ${CONSUMERS} consumers draining, reads of ${READ_COUNT}, one XACK per entry (entries/s)`,
    {
      'service consume()': result.consume.ours,
      'raw ioredis loops': result.consume.raw,
      'raw, acks auto-pipelined': result.consume.rawPipelined,
    },
    [
      ['service consume()', 'raw ioredis loops', 0.95],
      ['service consume()', 'raw, acks auto-pipelined', 0.95],
    ],
  );
  console.log(
    `  median of per-round ratios: ${result.consume.roundRatio.toFixed(3)} (raw loops), ${result.consume.roundRatioPipelined.toFixed(3)} (acks auto-pipelined)\n`,
  );
}
