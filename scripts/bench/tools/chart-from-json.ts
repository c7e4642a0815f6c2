/**
 * Redraws the sweep chart from a `pnpm bench --json` file, without measuring again:
 *
 *   tsx scripts/bench/tools/chart-from-json.ts results.json docs/bench-sweep.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { RunEnvironment, ScenarioResult, ThroughputResult } from '../framework/results.js';
import type { Ceiling } from '../framework/scenario.js';
import { chartCaption, sweepChart } from '../framework/svg-chart.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: chart-from-json.ts <results.json> <chart.svg>');
const run = JSON.parse(readFileSync(input, 'utf8')) as {
  environment: RunEnvironment;
  ceilings: Record<string, Ceiling>;
  results: ScenarioResult[];
};
const ceilings = new Map(
  Object.entries(run.ceilings).map(([clients, ceiling]) => [Number(clients), ceiling]),
);
const charted = run.results.filter(
  (result): result is ThroughputResult => result.kind === 'throughput' && result.chart,
);
writeFileSync(output, sweepChart(charted, ceilings, chartCaption(run.environment)));
console.log(`${output} redrawn from ${input}`);
