import type { AdapterUnderTest, ConformanceCase, Tier } from '../case.js';
import { allCases } from '../cases/all-cases.js';
import { type BrokenDriver, mustFailIds } from '../faults/broken-drivers.js';
import { releaseLeakedResources } from '../faults/leaks.js';
import { breakAdapter } from './break-adapter.js';
import { ConformanceRun, type RunTimeLimits } from './conformance-run.js';
import type { CaseResult } from './outcome.js';

/** Options of `checkCatches`. */
export interface SelfCheckOptions {
  /** Tiers this run covers; a case on another tier is skipped with that reason. Default both. */
  readonly tiers?: readonly Tier[];
  /** Redis URL for the integration tier (default: `REDIS_URL`, else a private redis-server). */
  readonly redisUrl?: string;
  /** Check only this one of the cases the fault must fail. */
  readonly caseId?: string;
  /** Where to find the cases by id. Default: every case of the kit. */
  readonly cases?: readonly ConformanceCase[];
  /** Time limits of the kit's own steps. */
  readonly timeLimits?: Partial<RunTimeLimits>;
  /** Cluster seeds for a cluster adapter (default: `REDIS_CLUSTER_URLS`, else a private cluster). */
  readonly clusterUrls?: readonly string[];
}

/**
 * Runs each case named for a broken driver's fault against the adapter with that fault injected:
 * each check passes only if its case fails. A suite that passes a broken driver is worthless.
 * One result per named case, all from one run (one server) of the broken adapter.
 */
export async function checkCatches(
  adapter: AdapterUnderTest,
  broken: BrokenDriver,
  options: SelfCheckOptions = {},
): Promise<CaseResult[]> {
  const tiers = options.tiers ?? ['unit', 'integration'];
  const ids = mustFailIds(broken).filter((id) => options.caseId === undefined || id === options.caseId);
  const known = options.cases ?? allCases;
  const checks = ids.map((id) => ({ id, target: known.find((testCase) => testCase.id === id) }));
  let started = performance.now();
  const result = (
    id: string,
    tier: Tier,
    status: CaseResult['status'],
    extra: { reason?: string; error?: unknown } = {},
  ): CaseResult => ({
    id: `self-check/${id}`,
    group: 'self-check',
    name: `the kit catches a driver that ${broken.fault} [${id}]`,
    tier,
    status,
    durationMs: performance.now() - started,
    ...extra,
  });
  const runnable = checks.filter(({ target }) => target && tiers.includes(target.tier));
  const runTiers = [...new Set(runnable.map(({ target }) => target!.tier))];
  let run: ConformanceRun | undefined;
  let startError: unknown;
  if (runnable.length > 0) {
    try {
      run = await ConformanceRun.start(breakAdapter(adapter, broken), {
        tiers: runTiers,
        housekeeper: adapter,
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        ...(options.timeLimits ? { timeLimits: options.timeLimits } : {}),
        ...(options.clusterUrls ? { clusterUrls: options.clusterUrls } : {}),
      });
    } catch (error) {
      startError = error;
    }
  }
  const results: CaseResult[] = [];
  try {
    for (const { id, target } of checks) {
      if (!target) {
        results.push(result(id, 'unit', 'failed', { error: new Error(`no case has the id '${id}'`) }));
        continue;
      }
      if (!tiers.includes(target.tier)) {
        results.push(
          result(id, target.tier, 'skipped', { reason: `the ${target.tier} tier is not part of this run` }),
        );
        continue;
      }
      if (!run) {
        results.push(result(id, target.tier, 'failed', { error: startError }));
        continue;
      }
      started = performance.now();
      const outcome = await run.runCase(target);
      if (outcome.status === 'failed') results.push(result(id, target.tier, 'passed'));
      else if (outcome.status === 'skipped')
        results.push(
          result(id, target.tier, 'skipped', { reason: outcome.reason ?? 'the target case was skipped' }),
        );
      else
        results.push(
          result(id, target.tier, 'failed', {
            error: new Error(`case '${id}' passed a driver that ${broken.fault}`),
          }),
        );
    }
  } finally {
    await run?.close();
    releaseLeakedResources();
  }
  return results;
}
