/** Runs a throughput scenario: interleaved rounds at every point of the sweep. */
import { type Sample, sampleThroughput } from './measure.js';
import type { PointRow, RatioResult, ThroughputResult } from './results.js';
import type { BenchContext, OpenedContender, RatioTarget, ThroughputScenario } from './scenario.js';
import { median, summarize } from './stats.js';

/**
 * Opens every contender, then at each concurrency: one warm-up sample each, then `rounds` rounds
 * in which every contender runs once. The order rotates from round to round, so no contender
 * always runs first (on a cold cache) or last (after a rival's garbage); drift of a shared
 * machine hits them alike, and each round's samples pair up into per-round ratios.
 */
export async function runThroughput(
  scenario: ThroughputScenario,
  ctx: BenchContext,
  progress: (text: string) => void,
): Promise<ThroughputResult> {
  const { rounds, sampleMs } = ctx.options;
  const sweep = scenario.sweep ?? ctx.options.sweep;
  const serverPid = scenario.onCluster ? undefined : ctx.redisPid;
  const opened: OpenedContender[] = [];
  try {
    for (const contender of scenario.contenders) opened.push(await contender.open(ctx));
    const points: { concurrency: number; rows: PointRow[] }[] = [];
    const perRound: Map<string, number[]>[] = [];
    for (const concurrency of sweep) {
      progress(`${scenario.id} @${concurrency}`);
      for (const contender of opened) await sampleThroughput(contender.operation, concurrency, sampleMs / 2);
      const samples = scenario.contenders.map(() => [] as Sample[]);
      for (let round = 0; round < rounds; round++) {
        for (let step = 0; step < opened.length; step++) {
          const index = (round + step) % opened.length;
          samples[index]!.push(
            await sampleThroughput(opened[index]!.operation, concurrency, sampleMs, serverPid),
          );
        }
      }
      const rates = samples.map((list) => list.map((sample) => sample.opsPerSecond));
      perRound.push(new Map(scenario.contenders.map((contender, index) => [contender.name, rates[index]!])));
      points.push({
        concurrency,
        rows: scenario.contenders.map((contender, index) => ({
          name: contender.name,
          role: contender.role,
          summary: summarize(rates[index]!),
          clientCpu: summarize(samples[index]!.map((sample) => sample.clientCpuPerOp)),
          serverCpu: summarize(samples[index]!.map((sample) => sample.serverCpuPerOp)),
        })),
      });
    }
    return {
      kind: 'throughput',
      id: scenario.id,
      title: scenario.title,
      unit: scenario.unit,
      chart: scenario.chart ?? false,
      ceiling: scenario.ceiling ?? false,
      points,
      ratios: scenario.targets.flatMap((target) =>
        points.map((point, index) => ratioAt(target, point.concurrency, point.rows, perRound[index]!)),
      ),
    };
  } finally {
    for (const contender of opened) await contender.close();
  }
}

function ratioAt(
  target: RatioTarget,
  concurrency: number,
  rows: readonly PointRow[],
  rounds: Map<string, number[]>,
): RatioResult {
  const find = (name: string): PointRow => {
    const row = rows.find((candidate) => candidate.name === name);
    if (!row) throw new Error(`a target names '${name}', which is no contender of the scenario`);
    return row;
  };
  const ours = find(target.ours);
  const candidates = (typeof target.theirs === 'string' ? [target.theirs] : target.theirs).map(find);
  const theirs = candidates.reduce((best, row) => (row.summary.median > best.summary.median ? row : best));
  const ourRounds = rounds.get(ours.name)!;
  const theirRounds = rounds.get(theirs.name)!;
  const perRound = ourRounds.map((value, index) => value / theirRounds[index]!);
  // The median of the per-round ratios: each round measures both within seconds of each other,
  // so a machine that drifts between rounds moves both sides of a ratio alike.
  const ratio = median(perRound);
  const applies =
    target.atLeast !== undefined && (target.at === undefined || target.at.includes(concurrency));
  return {
    ours: ours.name,
    theirs: theirs.name,
    rival: candidates.length > 1 ? 'best peer' : theirs.name,
    concurrency,
    ratio,
    roundMin: Math.min(...perRound),
    roundMax: Math.max(...perRound),
    atLeast: applies ? target.atLeast : undefined,
    met: applies ? ratio >= target.atLeast! : undefined,
  };
}
