import type { AdapterUnderTest, ConformanceCase, Tier, Topology } from '../case.js';
import { allCases } from '../cases/all-cases.js';
import { type BrokenDriver, brokenDrivers } from '../faults/broken-drivers.js';
import { breakAdapter } from './break-adapter.js';
import { appliesToTopology, ConformanceRun } from './conformance-run.js';
import type { CaseResult } from './outcome.js';

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
  /** The servers of the integration tier (see `ConformanceRunOptions.topology`). Default `single`. */
  readonly topology?: Topology;
}

/** Everything one `runConformance` call found. */
export interface ConformanceReport {
  readonly adapter: string;
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * Runs the kit against an adapter without any test runner: prepares the servers, runs every case
 * (or the chosen ones) one after another, then the broken-driver self-check, and reports.
 */
export async function runConformance(
  adapter: AdapterUnderTest,
  options: RunConformanceOptions = {},
): Promise<ConformanceReport> {
  const topology = options.topology ?? 'single';
  const tiers = options.tiers ?? (topology === 'single' ? ['unit', 'integration'] : ['integration']);
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
  const run = await ConformanceRun.start(adapter, {
    tiers,
    topology,
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
  });
  try {
    for (const testCase of cases) record(await run.runCase(testCase));
  } finally {
    await run.close();
  }
  if (options.selfCheck ?? topology === 'single') {
    for (const broken of brokenDrivers) record(await checkCatches(adapter, broken, tiers, options.redisUrl));
  }
  return {
    adapter: adapter.name,
    results,
    passed: results.filter((result) => result.status === 'passed').length,
    failed: results.filter((result) => result.status === 'failed').length,
    skipped: results.filter((result) => result.status === 'skipped').length,
  };
}

/**
 * Runs the case named for a broken driver's fault against the adapter with that fault injected:
 * the check passes only if the case fails. A suite that passes a broken driver is worthless.
 */
export async function checkCatches(
  adapter: AdapterUnderTest,
  broken: BrokenDriver,
  tiers: readonly Tier[] = ['unit', 'integration'],
  redisUrl?: string,
): Promise<CaseResult> {
  const started = performance.now();
  const target = allCases.find((testCase) => testCase.id === broken.mustFail);
  const selfCase = {
    id: `self-check/${broken.mustFail}`,
    group: 'self-check',
    name: `the kit catches a driver that ${broken.fault}`,
    tier: target?.tier ?? 'integration',
  } as const;
  const done = (
    status: CaseResult['status'],
    extra: { reason?: string; error?: unknown } = {},
  ): CaseResult => ({
    ...selfCase,
    status,
    durationMs: performance.now() - started,
    ...extra,
  });
  if (!target) return done('failed', { error: new Error(`no case has the id '${broken.mustFail}'`) });
  if (!tiers.includes(target.tier))
    return done('skipped', { reason: `the ${target.tier} tier is not part of this run` });
  const run = await ConformanceRun.start(breakAdapter(adapter, broken), {
    tiers: [target.tier],
    ...(redisUrl ? { redisUrl } : {}),
  });
  try {
    const outcome = await run.runCase(target);
    if (outcome.status === 'failed') return done('passed');
    if (outcome.status === 'skipped')
      return done('skipped', { reason: outcome.reason ?? 'the target case was skipped' });
    return done('failed', { error: new Error(`case '${target.id}' passed a driver that ${broken.fault}`) });
  } finally {
    await run.close();
  }
}
