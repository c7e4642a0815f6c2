/**
 * Prints the README's speed tables (Markdown) from a `pnpm bench --json` file, so the README
 * shows exactly what one run measured:
 *
 *   tsx scripts/bench/tools/readme-table.ts results.json
 */
import { readFileSync } from 'node:fs';
import { compact } from '../framework/print.js';
import type {
  RatioResult,
  ReportResult,
  RunEnvironment,
  ScenarioResult,
  ThroughputResult,
} from '../framework/results.js';
import type { Ceiling } from '../framework/scenario.js';

const input = process.argv[2];
if (!input) throw new Error('usage: readme-table.ts <results.json>');
const run = JSON.parse(readFileSync(input, 'utf8')) as {
  environment: RunEnvironment;
  ceilings: Record<string, Ceiling>;
  results: ScenarioResult[];
};
const throughput = run.results.filter((result): result is ThroughputResult => result.kind === 'throughput');
const reports = run.results.filter((result): result is ReportResult => result.kind === 'report');
const sweep = run.environment.sweep;

const cell = (ratio: RatioResult | undefined) => {
  if (!ratio) return '';
  const mark = ratio.met === undefined ? '' : ratio.met ? ' ✓' : ' ✗';
  return `${ratio.ratio.toFixed(2)}${mark}`;
};

const lines: string[] = [];
lines.push(
  `| ${['scenario', 'ours / theirs (callers:)', ...sweep.map((c) => `${c}`), 'target'].join(' | ')} |`,
);
lines.push(`| ${['---', '---', ...sweep.map(() => '---:'), '---:'].join(' | ')} |`);
for (const result of throughput) {
  const pairs = new Map<string, RatioResult[]>();
  for (const ratio of result.ratios)
    pairs.set(`${ratio.ours} / ${ratio.rival}`, [
      ...(pairs.get(`${ratio.ours} / ${ratio.rival}`) ?? []),
      ratio,
    ]);
  for (const [label, ratios] of pairs) {
    const target = ratios.find((ratio) => ratio.atLeast !== undefined);
    const at =
      target?.atLeast === undefined
        ? ''
        : `>= ${target.atLeast}${
            ratios.every((r) => r.atLeast !== undefined)
              ? ''
              : ` at ${ratios
                  .filter((r) => r.atLeast !== undefined)
                  .map((r) => r.concurrency)
                  .join(', ')}`
          }`;
    lines.push(
      `| ${[result.id, label, ...sweep.map((c) => cell(ratios.find((r) => r.concurrency === c))), at].join(' | ')} |`,
    );
  }
}
lines.push('');
lines.push(`| ${['ceiling (redis-benchmark GET/SET, ops/s)', ...sweep.map((c) => `${c}`)].join(' | ')} |`);
lines.push(`| ${['---', ...sweep.map(() => '---:')].join(' | ')} |`);
const ceilingRow = (name: string, pick: (ceiling: Ceiling) => number) =>
  `| ${[name, ...sweep.map((c) => (run.ceilings[String(c)] ? compact(pick(run.ceilings[String(c)]!)) : ''))].join(' | ')} |`;
lines.push(ceilingRow('`-P 1` (one command per round trip)', (c) => c.p1.median));
lines.push(ceilingRow('`-P 16`', (c) => c.p16.median));
type Spread = { p50: number; p99: number; max: number };
const ms = (value: number) => value.toFixed(1);
const wakeUps = reports.filter((report) => report.id.startsWith('wake-up/'));
if (wakeUps.length > 0) {
  lines.push('');
  lines.push(
    '| getOrCompute wake-up, 4 processes x 250 callers (ms) | p50 | p99 | max | owner write p99 | notice delivery p99 | wake after notice p99 |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const report of wakeUps) {
    const v = report.values as { total: Spread; write: Spread; delivery: Spread; wake: Spread };
    const target = report.targets[0];
    const total = `${ms(v.total.p99)}${target ? (target.met ? ' ✓' : ' ✗') : ''}`;
    lines.push(
      `| ${report.id.slice('wake-up/'.length)} | ${ms(v.total.p50)} | ${total} | ${ms(v.total.max)} | ${ms(v.write.p99)} | ${ms(v.delivery.p99)} | ${ms(v.wake.p99)} |`,
    );
  }
}
const memory = reports.find((report) => report.id === 'memory');
if (memory) {
  const v = memory.values as { inflightBytes: number; queuedBytes: number; rssQueued: number };
  lines.push('');
  lines.push(
    `Memory (ioredis, heap after a full GC, the caller's promise included): ${Math.round(v.inflightBytes)} bytes per ` +
      `command in flight, ${Math.round(v.queuedBytes)} bytes per command queued for a permit; RSS with 10 000 callers ` +
      `queued: ${(v.rssQueued / 2 ** 20).toFixed(0)} MiB (the whole bench process).`,
  );
}
const env = run.environment;
lines.push('');
lines.push(
  `Run: ${env.startedAt.slice(0, 16).replace('T', ' ')} UTC, node ${env.node}, ${env.redis.split(' ')[2] ?? ''}, ${env.cpus} cores, ` +
    `load average ${env.loadBefore.join(' / ')} at the start and ${(env.loadAfter ?? []).join(' / ')} at the end; ` +
    `${env.rounds} rounds x ${env.sampleMs} ms per point.`,
);
console.log(lines.join('\n'));
