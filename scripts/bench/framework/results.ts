/** The results of a run, as printed and as written to JSON. */
import type { ReportTarget } from './scenario.js';
import type { Summary } from './stats.js';

/** One contender's rounds at one point of the sweep. */
export interface PointRow {
  readonly name: string;
  readonly role: string;
  /** Operations per second. */
  readonly summary: Summary;
  /** µs of the bench process's CPU per operation (robust where other processes share the cores). */
  readonly clientCpu: Summary;
  /** µs of redis-server's CPU per operation. */
  readonly serverCpu: Summary;
}

/** One ratio at one concurrency. */
export interface RatioResult {
  readonly ours: string;
  /** The contender divided by (the best of the list, when the target named several). */
  readonly theirs: string;
  /** How the rival is named in tables: its name, or `best peer` for a target over several. */
  readonly rival: string;
  readonly concurrency: number;
  /** The median of the per-round ratios (ours / theirs in the same round). */
  readonly ratio: number;
  /** The range of the per-round ratios (rounds are interleaved, so each round pairs up). */
  readonly roundMin: number;
  readonly roundMax: number;
  readonly atLeast: number | undefined;
  /** undefined when the ratio has no target at this point. */
  readonly met: boolean | undefined;
}

/** A throughput scenario's results. */
export interface ThroughputResult {
  readonly kind: 'throughput';
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly chart: boolean;
  readonly ceiling: boolean;
  readonly points: readonly { readonly concurrency: number; readonly rows: readonly PointRow[] }[];
  readonly ratios: readonly RatioResult[];
}

/** A report scenario's results. */
export interface ReportResult {
  readonly kind: 'report';
  readonly id: string;
  readonly title: string;
  readonly lines: readonly string[];
  readonly values: Readonly<Record<string, unknown>>;
  readonly targets: readonly (ReportTarget & { readonly met: boolean })[];
}

export type ScenarioResult = ThroughputResult | ReportResult;

/** What the machine was doing: the run's numbers are only as good as this. */
export interface RunEnvironment {
  readonly startedAt: string;
  readonly node: string;
  readonly redis: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly loadBefore: readonly number[];
  loadAfter?: readonly number[];
  readonly rounds: number;
  readonly sampleMs: number;
  readonly sweep: readonly number[];
  readonly quick: boolean;
  readonly only: readonly string[];
}
