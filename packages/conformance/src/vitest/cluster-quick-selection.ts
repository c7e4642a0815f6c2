import type { ConformanceCase } from '../case.js';

const SAME_SCRIPT_ON_ONE_SLOT =
  'runs in the full cluster matrix (pnpm conformance) only, to keep pnpm test short: on a cluster it adds nothing to its sibling kept in pnpm test';

/**
 * The cluster cases `pnpm test` leaves to the full matrix (`pnpm conformance`), each with why: the
 * slow multi-process cases whose cluster question (do the keys of one limiter, one cache entry,
 * share a slot?) a kept sibling already answers on the same scripts and the same slot logic.
 */
const FULL_MATRIX_ONLY: ReadonlyMap<string, string> = new Map([
  [
    'rate-limit/gcra-exact-across-processes',
    `${SAME_SCRIPT_ON_ONE_SLOT} (rate-limit/fixed-window-exact-across-processes)`,
  ],
  [
    'rate-limit/sliding-window-exact-across-processes',
    `${SAME_SCRIPT_ON_ONE_SLOT} (rate-limit/fixed-window-exact-across-processes)`,
  ],
  [
    'rate-limit/sliding-window-counter-exact-across-processes',
    `${SAME_SCRIPT_ON_ONE_SLOT} (rate-limit/fixed-window-exact-across-processes)`,
  ],
  [
    'get-or-compute/compute-error-across-processes',
    `${SAME_SCRIPT_ON_ONE_SLOT} (get-or-compute/stampede-across-processes)`,
  ],
  ['get-or-compute/late-owner-value-is-fenced', `${SAME_SCRIPT_ON_ONE_SLOT} (get-or-compute/lease-safety)`],
  ['get-or-compute/late-owner-failure-is-fenced', `${SAME_SCRIPT_ON_ONE_SLOT} (get-or-compute/lease-safety)`],
  [
    'workers/processes-share-the-prefix',
    `${SAME_SCRIPT_ON_ONE_SLOT} (rate-limit/fixed-window-exact-across-processes)`,
  ],
]);

/**
 * For `describeConformance`'s `skip` on a cluster adapter in a repo's own `pnpm test`: the reason a
 * case is left to the full matrix, or `undefined` to run it. Every cluster-specific case (slots,
 * MOVED/ASK, resharding, failover, one-slot scripts, sharded pub/sub) and one multi-process case
 * each for the limiter and the cache stay in.
 */
export function fullClusterMatrixOnly(testCase: ConformanceCase): string | undefined {
  return FULL_MATRIX_ONLY.get(testCase.id);
}
