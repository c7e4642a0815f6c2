import type { ConformanceCase } from '../case.js';

/**
 * The multi-process cases that prove core's Lua scripts (the limiter's exactness, the cache's
 * single compute and its fencing) under four worker processes hammering one key. What they ask of
 * an adapter (send a script, get its reply) the in-process cases of the same groups already ask on
 * every column; the minutes of worker processes prove the scripts, the same on every driver.
 */
const CORE_SCRIPT_PROCESS_CASES: ReadonlySet<string> = new Set([
  'rate-limit/fixed-window-exact-across-processes',
  'rate-limit/sliding-window-exact-across-processes',
  'rate-limit/sliding-window-counter-exact-across-processes',
  'rate-limit/gcra-exact-across-processes',
  'get-or-compute/stampede-across-processes',
  'get-or-compute/compute-error-across-processes',
  'get-or-compute/late-owner-value-is-fenced',
  'get-or-compute/late-owner-failure-is-fenced',
]);

/**
 * For `describeConformance`'s `skip` in a repo's own `pnpm test`, on every column but one per
 * transport: leaves the multi-process core-script cases to the column named in `runsIn` (which
 * runs them) and to the full matrix (`pnpm conformance`, which runs them on every adapter). Each
 * is registered as skipped with that reason, never dropped.
 *
 * ```ts
 * describeConformance(nodeRedisAdapter, { skip: coreScriptProcessesRunIn('the ioredis column') });
 * ```
 */
export function coreScriptProcessesRunIn(runsIn: string): (testCase: ConformanceCase) => string | undefined {
  const reason = `core-script case: run in ${runsIn} of pnpm test; pnpm conformance runs it on every adapter`;
  return (testCase) => (CORE_SCRIPT_PROCESS_CASES.has(testCase.id) ? reason : undefined);
}
