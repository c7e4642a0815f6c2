/**
 * A consumer group of 4 draining a stream: reads of 100, one XACK per entry, awaited before the
 * next message. The service's consumers are `consume()` iterators on one service (blocking reads
 * on its dedicated connections, acknowledgements on the shared one); the raw loops are one ioredis
 * client per consumer (a blocking read would stall a shared one), acknowledging on that client or
 * on one shared autopipelining client. Each round fills the stream anew (untimed) for each
 * contender, in a rotating order; a contender's figure is entries / time to the last XACK, with
 * the CPU per entry of this process and of redis-server (which a busy machine disturbs less).
 */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import type { RedisService } from '@redis-service/core';
import { Redis } from 'ioredis';
import { ownCpuMicros, processCpuMicros } from '../framework/cpu-time.js';
import type { ReportScenario } from '../framework/scenario.js';
import { median, summarize } from '../framework/stats.js';

const CONSUMERS = 4;
const READ_COUNT = 100;
const TARGET = 0.95;
const STREAM = 'bench:stream:group';

/** Fills the stream with `total` entries and creates the group at its start. */
async function prepare(client: Redis, total: number): Promise<void> {
  await client.del(STREAM);
  for (let start = 0; start < total; start += 1000) {
    const pipeline = client.pipeline();
    for (let n = start; n < Math.min(total, start + 1000); n++) pipeline.xadd(STREAM, '*', 'n', String(n));
    await pipeline.exec();
  }
  await client.xgroup('CREATE', STREAM, 'group', '0');
}

async function drainOurs(redis: RedisService, total: number): Promise<number> {
  const stop = new AbortController();
  let acked = 0;
  let finished = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONSUMERS }, async (_, index) => {
      const consumer = redis.consume('group', {
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

async function drainRaw(readers: readonly Redis[], ackers: readonly Redis[], total: number): Promise<number> {
  let acked = 0;
  let finished = 0;
  const started = performance.now();
  await Promise.all(
    readers.map(async (reader, index) => {
      while (acked < total) {
        const reply = (await reader.xreadgroup(
          'GROUP',
          'group',
          `c${index}`,
          'COUNT',
          READ_COUNT,
          'BLOCK',
          100,
          'STREAMS',
          STREAM,
          '>',
        )) as [string, [string, string[]][]][] | null;
        for (const [id] of reply?.[0]?.[1] ?? []) {
          await ackers[index]!.xack(STREAM, 'group', id);
          if (++acked === total) finished = performance.now();
        }
      }
    }),
  );
  return total / ((finished - started) / 1000);
}

export const streamsConsume: ReportScenario = {
  kind: 'report',
  id: 'streams/consume-group',
  title: `a consumer group of ${CONSUMERS} draining a stream (reads of ${READ_COUNT}, one XACK per entry), ioredis`,
  async run(ctx) {
    const total = ctx.options.quick ? 5_000 : 20_000;
    const url = ctx.redisUrl;
    const service = createIoredisService({ url, keyPrefix: 'bench:stream:', maxInflight: 512 });
    const admin = new Redis(url);
    const readers = Array.from({ length: CONSUMERS }, () => new Redis(url));
    const autopipelined = new Redis(url, { enableAutoPipelining: true });
    const contenders: Record<string, () => Promise<number>> = {
      'service consume()': () => drainOurs(service, total),
      'raw ioredis loops': () => drainRaw(readers, readers, total),
      'raw loops, acks autopipelined': () =>
        drainRaw(
          readers,
          readers.map(() => autopipelined),
          total,
        ),
    };
    const names = Object.keys(contenders);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const clientCpu: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const serverCpu: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    try {
      // A warm-up round, then measured rounds; the order rotates so drift hits every contender alike.
      for (let round = -1; round < ctx.options.rounds; round++) {
        const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]!);
        for (const name of order) {
          await prepare(admin, total);
          const client = ownCpuMicros();
          const server = processCpuMicros(ctx.redisPid);
          const rate = await contenders[name]!();
          if (round < 0) continue;
          samples[name]!.push(rate);
          clientCpu[name]!.push((ownCpuMicros() - client) / total);
          serverCpu[name]!.push((processCpuMicros(ctx.redisPid) - server) / total);
        }
      }
    } finally {
      await admin.del(STREAM);
      await service.close();
      admin.disconnect();
      autopipelined.disconnect();
      for (const reader of readers) reader.disconnect();
    }
    const [ours, ...theirs] = names;
    const ratio = (name: string) => median(samples[ours!]!.map((rate, i) => rate / samples[name]![i]!));
    const lines = names.map((name) => {
      const s = summarize(samples[name]!);
      const figure = `${Math.round(s.median).toLocaleString('en-US')} entries/s`;
      const cpu = `CPU µs per entry ${median(clientCpu[name]!).toFixed(1)} + ${median(serverCpu[name]!).toFixed(1)}`;
      return `  ${name.padEnd(32)} ${figure.padStart(18)} (min ${Math.round(s.min)}, max ${Math.round(s.max)})${s.noisy ? ' !' : ''}; ${cpu}`;
    });
    for (const name of theirs)
      lines.push(`  ${ours} / ${name}: ${ratio(name).toFixed(2)} (median of per-round ratios)`);
    return {
      lines: [`${total} entries per round, ${ctx.options.rounds} rounds`, ...lines],
      values: Object.fromEntries(
        names.map((name) => [
          name,
          {
            ...summarize(samples[name]!),
            clientCpuPerEntry: median(clientCpu[name]!),
            serverCpuPerEntry: median(serverCpu[name]!),
          },
        ]),
      ),
      // Only against the plain loops: autopipelining delays each awaited XACK to the next tick, so
      // that row is printed for reference, not held to a target.
      targets: [
        { label: `${ours} / ${theirs[0]}`, value: ratio(theirs[0]!), unit: '', bound: TARGET, kind: 'min' },
      ],
    };
  },
};
