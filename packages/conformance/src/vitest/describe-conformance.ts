import type { DriverCapabilities } from '@redis-service/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AdapterUnderTest, ConformanceCase, Tier } from '../case.js';
import { allCases } from '../cases/all-cases.js';
import { brokenDrivers, mustFailIds } from '../faults/broken-drivers.js';
import { conformanceVerdict } from '../report/profiles.js';
import { appliesToTopology, ConformanceRun, DEFAULT_CASE_TIMEOUT_MS } from '../runner/conformance-run.js';
import { type CaseResult, resultOf } from '../runner/outcome.js';
import { partialRun } from '../runner/run-conformance.js';
import { checkCatches } from '../runner/self-check.js';

/** Options of `describeConformance`. */
export interface DescribeConformanceOptions {
  /** Tiers to register. Default both; only `integration` on the `sentinel` topology. */
  readonly tiers?: readonly Tier[];
  /** Keep only the cases this returns true for. */
  readonly filter?: (testCase: ConformanceCase) => boolean;
  /**
   * Why a case is not run here, or `undefined` to run it: a case given a reason is registered as
   * skipped with it, and listed in the skip summary, never dropped silently (see
   * `fullClusterMatrixOnly`).
   */
  readonly skip?: (testCase: ConformanceCase) => string | undefined;
  /** Register the broken-driver self-check. Default true, except on the `sentinel` topology. */
  readonly selfCheck?: boolean;
}

const SETUP_TIMEOUT_MS = 60_000;
/** Above a case's own limit: the kit's cleanup limit and key housekeeping come after it. */
const TEST_MARGIN_MS = 25_000;
/** One broken adapter's run: a server of its own and every case its fault must fail. */
const SELF_CHECK_TIMEOUT_MS = 180_000;

/** What the suite saw, for the summary printed after it. */
interface SuiteRecord {
  readonly results: CaseResult[];
  capabilities: DriverCapabilities | undefined;
  expected: number;
}

/**
 * Registers the whole kit as vitest suites for one adapter: `<adapter> / <tier> / <group> / <case>`.
 * A case the adapter cannot run is reported as skipped with its reason (in the test's skip note
 * and in a summary printed after the suite, with the conformance level the run earned); nothing is
 * skipped silently. vitest is an optional peer dependency; see the README for `node:test`.
 *
 * ```ts
 * import { describeConformance } from '@redis-service/conformance/vitest';
 * describeConformance({ name: 'my-driver', createDriver: ({ url }) => createMyDriver(url) });
 * ```
 */
export function describeConformance(
  adapter: AdapterUnderTest,
  options: DescribeConformanceOptions = {},
): void {
  const topology = adapter.topology ?? 'single';
  // A sentinel run's unit tier would repeat the single-node adapter's (the same driver code).
  const tiers = options.tiers ?? (topology === 'sentinel' ? ['integration'] : ['unit', 'integration']);
  const record: SuiteRecord = { results: [], capabilities: undefined, expected: 0 };
  describe(`${adapter.name} conformance`, () => {
    for (const tier of tiers) {
      const cases = allCases.filter(
        (testCase) =>
          testCase.tier === tier &&
          appliesToTopology(testCase, topology) &&
          (options.filter?.(testCase) ?? true),
      );
      record.expected += cases.length;
      describeTier(adapter, tier, cases, record, options.skip);
    }
    if (options.selfCheck ?? topology !== 'sentinel') describeSelfCheck(adapter, tiers, record);
    afterAll(() => printSummary(adapter, tiers, options, record));
  });
}

function describeTier(
  adapter: AdapterUnderTest,
  tier: Tier,
  cases: readonly ConformanceCase[],
  record: SuiteRecord,
  skip: DescribeConformanceOptions['skip'],
): void {
  describe(tier, () => {
    let run: ConformanceRun | undefined;
    beforeAll(async () => {
      run = await ConformanceRun.start(adapter, { tiers: [tier] });
      record.capabilities ??= run.capabilities;
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await run?.close();
      const stray = run?.strayFailures ?? [];
      if (stray.length > 0)
        throw new Error(`${stray.length} unobserved rejection(s) between cases`, { cause: stray[0] });
    }, SETUP_TIMEOUT_MS);

    for (const [group, members] of groupBy(cases)) {
      describe(group, () => {
        for (const testCase of members) {
          it(
            `${testCase.name} [${testCase.id}]`,
            async (context) => {
              const reason = skip?.(testCase);
              if (reason !== undefined) {
                record.results.push(resultOf(testCase, 'skipped', 0, { reason }));
                context.skip(reason);
              }
              if (!run) throw new Error('the conformance run did not start (see the beforeAll error)');
              const result = await run.runCase(testCase);
              record.results.push(result);
              printNotes(adapter.name, result);
              if (result.status === 'skipped') context.skip(result.reason);
              if (result.status === 'failed') throw result.error;
            },
            (testCase.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS) + TEST_MARGIN_MS,
          );
        }
      });
    }
  });
}

function describeSelfCheck(adapter: AdapterUnderTest, tiers: readonly Tier[], record: SuiteRecord): void {
  describe('self-check: broken drivers must fail the case named for their fault', () => {
    for (const broken of brokenDrivers) {
      record.expected += mustFailIds(broken).length;
      it(
        `catches a driver that ${broken.fault} [${mustFailIds(broken).join(', ')}]`,
        async (context) => {
          const results = await checkCatches(adapter, broken, { tiers });
          record.results.push(...results);
          const failed = results.filter((result) => result.status === 'failed');
          if (failed.length > 0) {
            throw new Error(failed.map((result) => errorText(result.error)).join('\n'), {
              cause: failed[0]?.error,
            });
          }
          const skipped = results.filter((result) => result.status === 'skipped');
          if (skipped.length === results.length)
            context.skip(skipped.map((result) => result.reason).join('; '));
        },
        SELF_CHECK_TIMEOUT_MS,
      );
    }
  });
}

function groupBy(cases: readonly ConformanceCase[]): Map<string, ConformanceCase[]> {
  const groups = new Map<string, ConformanceCase[]>();
  for (const testCase of cases) {
    const members = groups.get(testCase.group) ?? [];
    members.push(testCase);
    groups.set(testCase.group, members);
  }
  return groups;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The suite's summary: counts, the level it earned, and every skip with its reason. */
function printSummary(
  adapter: AdapterUnderTest,
  tiers: readonly Tier[],
  options: DescribeConformanceOptions,
  record: SuiteRecord,
): void {
  const { results } = record;
  const count = (status: CaseResult['status']) => results.filter((result) => result.status === status).length;
  const partial = partialRun(tiers, options);
  // A vitest filter (-t, a file pattern) runs fewer cases than were registered.
  if (results.length < record.expected)
    partial.push(`${record.expected - results.length} registered case(s) did not run`);
  const verdict = conformanceVerdict({
    capabilities: record.capabilities,
    hasWorker: adapter.worker !== undefined,
    failed: count('failed'),
    partial,
  });
  const skipped = results.filter((result) => result.status === 'skipped');
  const lines = [
    `\n[conformance] ${adapter.name}: level ${verdict.summary}; ${count('passed')} passed, ${count('failed')} failed, ${skipped.length} skipped`,
    ...skipped.map((result) => `  - skipped ${result.id}: ${result.reason ?? 'no reason given'}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printNotes(adapter: string, result: CaseResult): void {
  for (const note of result.notes ?? [])
    process.stdout.write(`[conformance] ${adapter} ${result.id}: ${note}\n`);
}
