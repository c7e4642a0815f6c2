import type { ConformanceCase, Tier } from '../case.js';

/** How one case ended. */
export type CaseStatus = 'passed' | 'failed' | 'skipped';

/** One case's result. */
export interface CaseResult {
  readonly id: string;
  readonly group: string;
  readonly name: string;
  readonly tier: Tier;
  readonly status: CaseStatus;
  /** Why it was skipped. */
  readonly reason?: string;
  /** Why it failed. */
  readonly error?: unknown;
  /** What the case noted for the report (`ctx.note`), in order. */
  readonly notes?: readonly string[];
  readonly durationMs: number;
}

/** Builds a result for `testCase`. */
export function resultOf(
  testCase: ConformanceCase,
  status: CaseStatus,
  durationMs: number,
  extra: { reason?: string; error?: unknown; notes?: readonly string[] } = {},
): CaseResult {
  return {
    id: testCase.id,
    group: testCase.group,
    name: testCase.name,
    tier: testCase.tier,
    status,
    durationMs,
    ...extra,
  };
}
