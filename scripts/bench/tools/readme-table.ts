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
lines.push(`| ${['scenario', 'ours / theirs', ...sweep.map((c) => `${c}`), 'target'].join(' | ')} |`);
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
lines.push(`| ${['throughput (median ops/s)', ...sweep.map((c) => `${c}`)].join(' | ')} |`);
lines.push(`| ${['---', ...sweep.map(() => '---:')].join(' | ')} |`);
const ceilingRow = (name: string, pick: (ceiling: Ceiling) => number) =>
  `| ${[name, ...sweep.map((c) => (run.ceilings[String(c)] ? compact(pick(run.ceilings[String(c)]!)) : ''))].join(' | ')} |`;
lines.push(ceilingRow('ceiling: redis-benchmark GET/SET -P 1', (c) => c.p1.median));
lines.push(ceilingRow('ceiling: redis-benchmark GET/SET -P 16', (c) => c.p16.median));
for (const result of throughput) {
  for (const row of result.points[0]?.rows ?? []) {
    const values = result.points.map((point) => point.rows.find((r) => r.name === row.name)!.summary);
    lines.push(
      `| ${[`${result.title}: ${row.name}`, ...values.map((s) => `${compact(s.median)}${s.noisy ? '!' : ''}`)].join(' | ')} |`,
    );
  }
}
lines.push('');
for (const report of reports.filter((r) => r.id !== 'ceiling')) {
  lines.push(`- ${report.title}:`);
  for (const text of report.lines) lines.push(`  ${text.trim()}`);
}
console.log(lines.join('\n'));
