import type { DriverCapabilities } from '@redis-service/core';
import type { AdapterUnderTest, ConformanceCase, Tier } from '../case.js';
import { allCases } from '../cases/all-cases.js';
import { brokenDrivers } from '../faults/broken-drivers.js';
import { type ConformanceVerdict, conformanceVerdict } from '../report/profiles.js';
import { appliesToTopology, ConformanceRun, type RunTimeLimits } from './conformance-run.js';
import { type CaseResult, runFailure } from './outcome.js';
import { unobservedFailure } from './rejection-monitor.js';
import { checkCatches } from './self-check.js';

/** Options of `runConformance`. */
export interface RunConformanceOptions {
  /** Tiers to run. Default both on the `single` topology; only `integration` on others. */
  readonly tiers?: readonly Tier[];
  /** Cases to run. Default: every case of the kit (those of other topologies left out). */
  readonly cases?: readonly ConformanceCase[];
  /** Keep only the cases this returns true for. */
  readonly filter?: (testCase: ConformanceCase) => boolean;
  /** Also check that the kit catches each deliberately broken driver. Default true on the `single` topology, false on others. */
  readonly selfCheck?: boolean;
  /** Called after each case. */
  readonly onResult?: (result: CaseResult) => void;
  /** Redis URL for the integration tier (default: `REDIS_URL`, else a private redis-server). */
  readonly redisUrl?: string;
  /** Time limits of the kit's own steps (cleanups, server start, key housekeeping). */
  readonly timeLimits?: Partial<RunTimeLimits>;
  /** Cluster seeds for a cluster adapter (default: `REDIS_CLUSTER_URLS`, else a private cluster). */
  readonly clusterUrls?: readonly string[];
}

/** Everything one `runConformance` call found. */
export interface ConformanceReport {
  readonly adapter: string;
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** The capabilities the adapter's driver declared; undefined when the run could not start. */
  readonly capabilities: DriverCapabilities | undefined;
  /** The tiers the run covered. */
  readonly tiers: readonly Tier[];
  /** The conformance level the run earned (see `conformanceProfiles`), and why not a higher one. */
  readonly verdict: ConformanceVerdict;
}

/**
 * Runs the kit against an adapter without any test runner: prepares the servers, runs every case
 * (or the chosen ones) one after another, then the broken-driver self-check, and reports. It does
 * not throw for anything the adapter does: a run that cannot start, a hung `close()` and an
 * unobserved rejection are failures in the report, which always comes back.
 */
export async function runConformance(
  adapter: AdapterUnderTest,
  options: RunConformanceOptions = {},
): Promise<ConformanceReport> {
  const topology = adapter.topology ?? 'single';
  // A sentinel run's unit tier would repeat the single-node adapter's (the same driver code).
  const tiers = options.tiers ?? (topology === 'sentinel' ? ['integration'] : ['unit', 'integration']);
  const mainTier: Tier = tiers.includes('integration') ? 'integration' : 'unit';
  const cases = (options.cases ?? allCases).filter(
    (testCase) =>
      tiers.includes(testCase.tier) &&
      appliesToTopology(testCase, topology) &&
      (options.filter?.(testCase) ?? true),
  );
  const results: CaseResult[] = [];
  const record = (result: CaseResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  let run: ConformanceRun | undefined;
  let capabilities: DriverCapabilities | undefined;
  try {
    run = await ConformanceRun.start(adapter, {
      tiers,
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      ...(options.timeLimits ? { timeLimits: options.timeLimits } : {}),
      ...(options.clusterUrls ? { clusterUrls: options.clusterUrls } : {}),
    });
    capabilities = run.capabilities;
  } catch (error) {
    record(runFailure('setup', `the run against ${adapter.name} starts`, mainTier, error));
  }
  if (run) {
    try {
      for (const testCase of cases) record(await run.runCase(testCase));
    } finally {
      await run.close();
    }
    if (run.strayFailures.length > 0) {
      record(
        runFailure(
          'unobserved-failures',
          'no promise rejection goes unobserved between cases',
          mainTier,
          unobservedFailure(run.strayFailures, 'while no case was running'),
        ),
      );
    }
    if (options.selfCheck ?? topology !== 'sentinel') {
      for (const broken of brokenDrivers) {
        for (const result of await checkCatches(adapter, broken, {
          tiers,
          ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
          ...(options.timeLimits ? { timeLimits: options.timeLimits } : {}),
          ...(options.clusterUrls ? { clusterUrls: options.clusterUrls } : {}),
        }))
          record(result);
      }
    }
  }
  const count = (status: CaseResult['status']) => results.filter((result) => result.status === status).length;
  const failed = count('failed');
  return {
    adapter: adapter.name,
    results,
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    capabilities,
    tiers,
    verdict: conformanceVerdict({
      capabilities,
      hasWorker: adapter.worker !== undefined,
      failed,
      partial: partialRun(tiers, options),
    }),
  };
}

/** Why a run does not cover the whole kit; empty when it does. */
export function partialRun(
  tiers: readonly Tier[],
  options: { readonly cases?: unknown; readonly filter?: unknown; readonly selfCheck?: boolean },
): string[] {
  const partial: string[] = [];
  const left = (['unit', 'integration'] as const).filter((tier) => !tiers.includes(tier));
  if (left.length > 0) partial.push(`the ${left.join(' and ')} tier was left out`);
  if (options.cases !== undefined || options.filter !== undefined) partial.push('cases were filtered');
  if (options.selfCheck === false) partial.push('the self-check was off');
  return partial;
}
