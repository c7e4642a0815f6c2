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

/** Groups whose results belong to the run, not to one tier: the self-check and the run's own failures. */
export const RUN_GROUPS: ReadonlySet<string> = new Set(['self-check', 'run']);

/** Builds a result for `testCase`. */
export function resultOf(
  testCase: Pick<ConformanceCase, 'id' | 'group' | 'name' | 'tier'>,
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

/** A failure of the run itself (it could not start, or something failed outside every case). */
export function runFailure(slug: string, name: string, tier: Tier, error: unknown): CaseResult {
  return resultOf({ id: `run/${slug}`, group: 'run', name, tier }, 'failed', 0, { error });
}
