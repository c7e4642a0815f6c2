/** The console form of the results. */
import type { RatioResult, ReportResult, ScenarioResult, ThroughputResult } from './results.js';
import type { Ceiling } from './scenario.js';
import type { Summary } from './stats.js';

/** 1234 -> 1.23k, 228456 -> 228k, 1234567 -> 1.23M. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  const [scaled, suffix] = abs >= 1e6 ? [value / 1e6, 'M'] : abs >= 1e3 ? [value / 1e3, 'k'] : [value, ''];
  const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
  return `${scaled.toFixed(digits)}${suffix}`;
}

/** `228k [221k-235k]`, with `!` when the spread exceeds the limit. */
export function formatSummary(summary: Summary): string {
  return `${compact(summary.median)} [${compact(summary.min)}-${compact(summary.max)}]${summary.noisy ? '!' : ''}`;
}

function formatRatio(ratio: RatioResult): string {
  const mark = ratio.met === undefined ? ' ' : ratio.met ? '✓' : '✗';
  return `${ratio.ratio.toFixed(2)} [${ratio.roundMin.toFixed(2)}-${ratio.roundMax.toFixed(2)}]${mark}`;
}

const CELL_WIDTH = 22;

function renderLine(label: string, cells: readonly string[], width: number): string {
  return `  ${label.padEnd(width)}${cells.map((cell) => cell.padStart(CELL_WIDTH)).join('')}`;
}

/** The table of one throughput scenario: a row per contender, a column per concurrency, then the ratios. */
export function printThroughput(result: ThroughputResult, ceilings: Map<number, Ceiling>): string[] {
  const rows: [string, string[]][] = [];
  const line = (label: string, cells: string[]) => rows.push([label, cells]);
  const concurrencies = result.points.map((point) => point.concurrency);
  line('callers', concurrencies.map(String));
  const names = result.points[0]?.rows.map((row) => row.name) ?? [];
  const rowAt = (name: string, point: ThroughputResult['points'][number]) =>
    point.rows.find((row) => row.name === name)!;
  for (const name of names)
    line(
      name,
      result.points.map((point) => formatSummary(rowAt(name, point).summary)),
    );
  const byPair = new Map<string, RatioResult[]>();
  for (const ratio of result.ratios) {
    const key = `${ratio.ours} / ${ratio.rival}`;
    byPair.set(key, [...(byPair.get(key) ?? []), ratio]);
  }
  for (const [label, ratios] of byPair) {
    const target = ratios.find((ratio) => ratio.atLeast !== undefined)?.atLeast;
    const at = (c: number) => ratios.find((candidate) => candidate.concurrency === c);
    line(
      `${label}${target === undefined ? '' : ` (>= ${target})`}`,
      concurrencies.map((c) => {
        const ratio = at(c);
        return ratio ? formatRatio(ratio) : '';
      }),
    );
    if (ratios[0]?.rival !== ratios[0]?.theirs) {
      line(
        '    the best peer was',
        concurrencies.map((c) =>
          (at(c)?.theirs ?? '').replace('rate-limiter-flexible', 'rlf').slice(0, CELL_WIDTH - 1),
        ),
      );
    }
  }
  if (result.ceiling && ceilings.size > 0) {
    for (const name of names.filter(
      (candidate) => result.points[0]!.rows.find((r) => r.name === candidate)!.role === 'ours',
    )) {
      line(
        `${name} / ceiling (-P 1, -P 16)`,
        result.points.map((point) => {
          const ceiling = ceilings.get(point.concurrency);
          const ours = rowAt(name, point).summary.median;
          return ceiling
            ? `${(ours / ceiling.p1.median).toFixed(2)}, ${(ours / ceiling.p16.median).toFixed(2)}`
            : '';
        }),
      );
    }
  }
  // CPU per operation moves far less than throughput when other processes share the cores.
  line(
    'CPU µs per op, this process + redis-server:',
    concurrencies.map(() => ''),
  );
  for (const name of names) {
    line(
      `  ${name}`,
      result.points.map((point) => {
        const row = rowAt(name, point);
        return `${row.clientCpu.median.toFixed(1)} + ${Number.isNaN(row.serverCpu.median) ? '?' : row.serverCpu.median.toFixed(1)}`;
      }),
    );
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return [
    `${result.title} (${result.id}): ${result.unit}, median [min-max] of the rounds; ratios: median [min-max] of the per-round ratios`,
    ...rows.map(([label, cells]) => renderLine(label, cells, width)),
  ];
}

/** The lines of a report scenario, with its targets. */
export function printReport(result: ReportResult): string[] {
  const out = [`${result.title} (${result.id})`, ...result.lines.map((text) => `  ${text}`)];
  for (const target of result.targets) {
    out.push(
      `  target: ${target.label} ${target.kind === 'max' ? '<=' : '>='} ${target.bound} ${target.unit}: ` +
        `${target.value.toFixed(2)} ${target.unit} ${target.met ? '✓ met' : '✗ MISSED'}`,
    );
  }
  return out;
}

/** Every target of the run, met or missed, in one list at the end. */
export function printTargets(results: readonly ScenarioResult[]): string[] {
  const out: string[] = ['targets'];
  let met = 0;
  let missed = 0;
  for (const result of results) {
    if (result.kind === 'throughput') {
      for (const ratio of result.ratios) {
        if (ratio.met === undefined) continue;
        ratio.met ? met++ : missed++;
        out.push(
          `  ${ratio.met ? '✓' : '✗'} ${result.id} @${ratio.concurrency}: ${ratio.ours} / ${ratio.theirs} = ${ratio.ratio.toFixed(2)} (>= ${ratio.atLeast})`,
        );
      }
    } else {
      for (const target of result.targets) {
        target.met ? met++ : missed++;
        out.push(
          `  ${target.met ? '✓' : '✗'} ${result.id}: ${target.label} = ${target.value.toFixed(2)} ${target.unit} (${target.kind === 'max' ? '<=' : '>='} ${target.bound})`,
        );
      }
    }
  }
  out.push(`  ${met} met, ${missed} missed`);
  return out;
}
