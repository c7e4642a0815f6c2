/**
 * `pnpm bench`: every scenario of `scenarios/index.ts` in one run on one private redis-server.
 * Never a pass/fail timing assert in a test: these numbers are for reading and for the notes, and
 * each comes with its spread. See `pnpm bench --help`.
 *
 * It runs on the built packages (`pnpm bench` builds first), not on `src` through tsx: tsx's
 * transform wraps every closure in a naming helper that costs more than the code being measured.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { startUpstashBridge, type UpstashBridge } from '@redis-service/conformance/bridge';
import { startRedisServer } from '@redis-service/conformance/harness';
import { parseBenchOptions, selected } from './framework/options.js';
import { printReport, printTargets, printThroughput } from './framework/print.js';
import { lazyCluster } from './framework/private-cluster.js';
import type { RunEnvironment, ScenarioResult, ThroughputResult } from './framework/results.js';
import { runScenario } from './framework/run-scenario.js';
import type { BenchContext, Ceiling } from './framework/scenario.js';
import { chartCaption, sweepChart } from './framework/svg-chart.js';
import { scenarios } from './scenarios/index.js';

const options = parseBenchOptions(process.argv.slice(2));
const chosen = scenarios.filter((scenario) => selected(options, scenario.id));
if (chosen.length === 0)
  throw new Error(`--only matched no scenario; the ids are: ${scenarios.map((s) => s.id).join(', ')}`);

const load = () => loadavg().map((value) => Math.round(value * 100) / 100);
const environment: RunEnvironment = {
  startedAt: new Date().toISOString(),
  node: process.version,
  redis: spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim(),
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  loadBefore: load(),
  rounds: options.rounds,
  sampleMs: options.sampleMs,
  sweep: options.sweep,
  quick: options.quick,
  only: options.only,
};

const server = await startRedisServer();
let bridge: Promise<UpstashBridge> | undefined;
const cluster = lazyCluster();
const ctx: BenchContext = {
  redisUrl: server.url,
  redisPid: server.pid,
  options,
  bridge: () => {
    bridge ??= startUpstashBridge({ redisUrl: server.url });
    return bridge;
  },
  cluster: () => cluster.get(),
  ceilings: new Map<number, Ceiling>(),
};
const results: ScenarioResult[] = [];
// Progress on a terminal only, overwritten in place: never in a log or a pipe.
const progress = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${`  ... ${text}`.padEnd(60)}\r`);
};
try {
  console.log(
    `redis-server on ${server.url} (${environment.redis.split(' ')[2] ?? ''}); node ${process.version}; ` +
      `${environment.cpus} cores; load ${environment.loadBefore.join(' ')}; ` +
      `${options.rounds} rounds x ${options.sampleMs} ms per point${options.quick ? ' (quick: not for the notes)' : ''}\n`,
  );
  if (environment.loadBefore[0]! > environment.cpus / 2) {
    console.log(
      `warning: the machine is busy (load ${environment.loadBefore[0]} on ${environment.cpus} cores): other processes share the cores, so these figures are not for the notes\n`,
    );
  }
  for (const scenario of chosen) {
    const started = performance.now();
    const result = await runScenario(scenario, ctx, progress);
    results.push(result);
    progress('');
    const lines = result.kind === 'throughput' ? printThroughput(result, ctx.ceilings) : printReport(result);
    console.log(`${lines.join('\n')}\n  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
} finally {
  if (bridge) await (await bridge).close();
  await cluster.stop();
  await server.stop();
}
environment.loadAfter = load();
console.log(printTargets(results).join('\n'));
console.log(
  `\nload average before ${environment.loadBefore.join(' ')}, after ${environment.loadAfter.join(' ')}`,
);

if (options.jsonPath) {
  writeOut(
    options.jsonPath,
    `${JSON.stringify({ environment, ceilings: Object.fromEntries(ctx.ceilings), results }, null, 2)}\n`,
  );
  console.log(`results written to ${options.jsonPath}`);
}
const charted = results.filter(
  (result): result is ThroughputResult => result.kind === 'throughput' && result.chart,
);
if (options.chartPath && charted.length > 0) {
  writeOut(options.chartPath, sweepChart(charted, ctx.ceilings, chartCaption(environment)));
  console.log(`sweep chart written to ${options.chartPath}`);
}

function writeOut(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
