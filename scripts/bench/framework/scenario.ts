/**
 * What a bench scenario is. A new row of `pnpm bench` is one file under `scenarios/` that exports
 * one of these, listed once in `scenarios/index.ts`; the framework does the rounds, the
 * statistics, the printing, the JSON and the chart.
 */
import type { UpstashBridge } from '@redis-service/conformance/bridge';
import type { RedisClusterHandle } from '@redis-service/conformance/harness';
import type { Operation } from './measure.js';
import type { BenchOptions } from './options.js';
import type { Summary } from './stats.js';

/** Ceilings measured by `redis-benchmark` at one client count: GET/SET ops/s without and with pipelining. */
export interface Ceiling {
  readonly p1: Summary;
  readonly p16: Summary;
}

/** What every scenario gets: the private server, the run's options and what earlier scenarios found. */
export interface BenchContext {
  /** `redis://127.0.0.1:PORT` of the run's private redis-server. */
  readonly redisUrl: string;
  /** The server's process id, to read its CPU time (undefined for a server the bench did not start). */
  readonly redisPid: number | undefined;
  readonly options: BenchOptions;
  /** The local Upstash REST bridge in front of the same server, started on first use. */
  bridge(): Promise<UpstashBridge>;
  /**
   * The run's private Redis Cluster (3 masters, no replicas, on free loopback ports), started on
   * first use: only a run that selects a `cluster/...` scenario starts it.
   */
  cluster(): Promise<RedisClusterHandle>;
  /** redis-benchmark's GET/SET figures per client count (filled by the ceiling scenario). */
  readonly ceilings: Map<number, Ceiling>;
}

/** A contender, opened: its operation and how to let go of its connections. */
export interface OpenedContender {
  readonly operation: Operation;
  close(): Promise<unknown> | unknown;
}

/** Who a contender is: the service, a driver used directly, or another library. */
export type ContenderRole = 'ours' | 'raw' | 'peer';

/** One line of a throughput scenario. */
export interface ContenderSpec {
  /** Unique within the scenario; shown in tables, targets and the chart legend. */
  readonly name: string;
  readonly role: ContenderRole;
  /** Opens its clients (once for the whole sweep). */
  open(ctx: BenchContext): Promise<OpenedContender>;
}

/** A ratio to print at every point of the sweep, and optionally a target it must meet. */
export interface RatioTarget {
  readonly ours: string;
  /** The contender to divide by; a list means the best of them at each point. */
  readonly theirs: string | readonly string[];
  /** The ratio that counts as met; omitted for a ratio that is only printed. */
  readonly atLeast?: number;
  /** The concurrencies the target applies to (default: every point of the sweep). */
  readonly at?: readonly number[];
}

/** Contenders measured against each other in interleaved rounds at every point of the sweep. */
export interface ThroughputScenario {
  readonly kind: 'throughput';
  readonly id: string;
  readonly title: string;
  /** What one operation is, for the table header: `ops/s`, `checks/s`. */
  readonly unit: string;
  readonly contenders: readonly ContenderSpec[];
  readonly targets: readonly RatioTarget[];
  /**
   * Print our rows as a fraction of redis-benchmark's GET/SET ceiling at the same client count (and
   * draw it): the most one-command operations per second the server does here, whatever the client.
   */
  readonly ceiling?: boolean;
  /** Draw this scenario as a panel of the sweep chart. */
  readonly chart?: boolean;
  /**
   * The concurrencies this scenario runs at, when not the run's sweep (a cluster row runs at one
   * point: a sweep of it would cost minutes and say little more).
   */
  readonly sweep?: readonly number[];
  /**
   * Whether it runs on the cluster: then the server CPU column is not read (the work is spread
   * over several redis-servers, not the run's one).
   */
  readonly onCluster?: boolean;
}

/** A target of a report scenario: a measured value against its bound. */
export interface ReportTarget {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly bound: number;
  /** `max`: met when value <= bound; `min`: met when value >= bound. */
  readonly kind: 'max' | 'min';
}

/** What a report scenario hands back: lines for the console, values for the JSON. */
export interface Report {
  readonly lines: readonly string[];
  readonly values: Readonly<Record<string, unknown>>;
  readonly targets?: readonly ReportTarget[];
}

/** A scenario that measures something other than throughput (latency, memory, the ceiling). */
export interface ReportScenario {
  readonly kind: 'report';
  readonly id: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<Report>;
}

export type Scenario = ThroughputScenario | ReportScenario;
