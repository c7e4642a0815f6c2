/** Runs one scenario of either kind and hands back its result. */
import type { ScenarioResult } from './results.js';
import { runThroughput } from './run-throughput.js';
import type { BenchContext, Scenario } from './scenario.js';

export async function runScenario(
  scenario: Scenario,
  ctx: BenchContext,
  progress: (text: string) => void,
): Promise<ScenarioResult> {
  if (scenario.kind === 'throughput') return runThroughput(scenario, ctx, progress);
  progress(scenario.id);
  const report = await scenario.run(ctx);
  return {
    kind: 'report',
    id: scenario.id,
    title: scenario.title,
    lines: report.lines,
    values: report.values,
    targets: (report.targets ?? []).map((target) => ({
      ...target,
      met: target.kind === 'max' ? target.value <= target.bound : target.value >= target.bound,
    })),
  };
}
