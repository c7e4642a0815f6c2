import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AdapterUnderTest, ConformanceCase, Tier, Topology } from '../case.js';
import { allCases } from '../cases/all-cases.js';
import { brokenDrivers } from '../faults/broken-drivers.js';
import { appliesToTopology, ConformanceRun } from '../runner/conformance-run.js';
import type { CaseResult } from '../runner/outcome.js';
import { checkCatches } from '../runner/run-conformance.js';

/** Options of `describeConformance`. */
export interface DescribeConformanceOptions {
  /** Tiers to register. Default both on the `single` topology; only `integration` on others (the unit tier needs no server). */
  readonly tiers?: readonly Tier[];
  /** Keep only the cases this returns true for. */
  readonly filter?: (testCase: ConformanceCase) => boolean;
  /** Register the broken-driver self-check. Default true on the `single` topology, false on others. */
  readonly selfCheck?: boolean;
  /**
   * The servers of the integration tier (see `ConformanceRunOptions.topology`). Default `single`;
   * `sentinel` registers the suites as `<adapter> conformance (sentinel)`.
   */
  readonly topology?: Topology;
}

const SETUP_TIMEOUT_MS = 60_000;

/**
 * Registers the whole kit as vitest suites for one adapter: `<adapter> / <tier> / <group> / <case>`.
 * A case the adapter cannot run is reported as skipped with its reason (in the test's skip note
 * and in a summary printed after the suite); nothing is skipped silently.
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
  const topology = options.topology ?? 'single';
  const tiers = options.tiers ?? (topology === 'single' ? ['unit', 'integration'] : ['integration']);
  const title =
    topology === 'single' ? `${adapter.name} conformance` : `${adapter.name} conformance (${topology})`;
  describe(title, () => {
    for (const tier of tiers) {
      const cases = allCases.filter(
        (testCase) =>
          testCase.tier === tier &&
          appliesToTopology(testCase, topology) &&
          (options.filter?.(testCase) ?? true),
      );
      describeTier(adapter, tier, cases, topology);
    }
    if (options.selfCheck ?? topology === 'single') describeSelfCheck(adapter, tiers);
  });
}

function describeTier(
  adapter: AdapterUnderTest,
  tier: Tier,
  cases: readonly ConformanceCase[],
  topology: Topology,
): void {
  describe(tier, () => {
    let run: ConformanceRun | undefined;
    const skipped: CaseResult[] = [];
    beforeAll(async () => {
      run = await ConformanceRun.start(adapter, { tiers: [tier], topology });
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await run?.close();
      printSkips(adapter.name, tier, skipped);
    }, SETUP_TIMEOUT_MS);

    for (const [group, members] of groupBy(cases)) {
      describe(group, () => {
        for (const testCase of members) {
          it(
            `${testCase.name} [${testCase.id}]`,
            async (context) => {
              if (!run) throw new Error('the conformance run did not start (see the beforeAll error)');
              const result = await run.runCase(testCase);
              printNotes(adapter.name, result);
              if (result.status === 'skipped') {
                skipped.push(result);
                context.skip(result.reason);
              }
              if (result.status === 'failed') throw result.error;
            },
            (testCase.timeoutMs ?? 20_000) + 5_000,
          );
        }
      });
    }
  });
}

function describeSelfCheck(adapter: AdapterUnderTest, tiers: readonly Tier[]): void {
  describe('self-check: broken drivers must fail the case named for their fault', () => {
    for (const broken of brokenDrivers) {
      it(`catches a driver that ${broken.fault} [${broken.mustFail}]`, async (context) => {
        const result = await checkCatches(adapter, broken, tiers);
        if (result.status === 'skipped') context.skip(result.reason);
        if (result.status === 'failed') throw result.error;
      }, 60_000);
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

function printNotes(adapter: string, result: CaseResult): void {
  for (const note of result.notes ?? [])
    process.stdout.write(`[conformance] ${adapter} ${result.id}: ${note}\n`);
}

function printSkips(adapter: string, tier: Tier, skipped: readonly CaseResult[]): void {
  if (skipped.length === 0) return;
  const lines = skipped.map((result) => `  - ${result.id}: ${result.reason ?? 'no reason given'}`);
  process.stdout.write(
    `\n[conformance] ${adapter} ${tier}: ${skipped.length} case(s) skipped\n${lines.join('\n')}\n`,
  );
}
