/**
 * Runs one contender of one throughput scenario alone for a while, to profile it:
 *
 *   pnpm build && node --cpu-prof --cpu-prof-dir=.profiles --import tsx scripts/bench/tools/profile.ts \
 *     --scenario=get-set/ioredis --contender='service (ioredis)' --callers=64 --ms=5000
 *
 * Prints the contender's ops/s, and the Node process's CPU time per operation (user + system):
 * unlike ops/s, CPU per operation barely moves when other processes share the cores.
 */
import { startUpstashBridge, type UpstashBridge } from '@redis-service/conformance/bridge';
import { startRedisServer } from '@redis-service/conformance/harness';
import { sampleThroughput } from '../framework/measure.js';
import { parseBenchOptions } from '../framework/options.js';
import { lazyCluster } from '../framework/private-cluster.js';
import type { BenchContext } from '../framework/scenario.js';
import { scenarios } from '../scenarios/index.js';

const flags = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, ...rest] = arg.replace(/^--/, '').split('=');
    return [name!, rest.join('=')] as const;
  }),
);
const scenario = scenarios.find((candidate) => candidate.id === flags.get('scenario'));
if (scenario?.kind !== 'throughput') {
  throw new Error(
    `--scenario must name a throughput scenario: ${scenarios
      .filter((s) => s.kind === 'throughput')
      .map((s) => s.id)
      .join(', ')}`,
  );
}
const contender = scenario.contenders.find((candidate) => candidate.name === flags.get('contender'));
if (!contender)
  throw new Error(`--contender must be one of: ${scenario.contenders.map((c) => `'${c.name}'`).join(', ')}`);
const callers = Number(flags.get('callers') ?? 64);
const ms = Number(flags.get('ms') ?? 5000);

const server = await startRedisServer();
let bridge: Promise<UpstashBridge> | undefined;
const cluster = lazyCluster();
const ctx: BenchContext = {
  redisUrl: server.url,
  redisPid: server.pid,
  options: parseBenchOptions([]),
  bridge: () => {
    bridge ??= startUpstashBridge({ redisUrl: server.url });
    return bridge;
  },
  cluster: () => cluster.get(),
  ceilings: new Map(),
};
try {
  const opened = await contender.open(ctx);
  await sampleThroughput(opened.operation, callers, Math.min(1000, ms / 4));
  const sample = await sampleThroughput(
    opened.operation,
    callers,
    ms,
    scenario.onCluster ? undefined : server.pid,
  );
  console.log(
    `${contender.name} @${callers}: ${Math.round(sample.opsPerSecond).toLocaleString('en-US')} ops/s, ` +
      `${sample.clientCpuPerOp.toFixed(2)} µs of this process's CPU per op, ${sample.serverCpuPerOp.toFixed(2)} µs of redis-server's`,
  );
  await opened.close();
} finally {
  if (bridge) await (await bridge).close();
  await cluster.stop();
  await server.stop();
}
