import {
  FIXED_WINDOW_SCRIPT,
  GCRA_SCRIPT,
  SLIDING_WINDOW_SCRIPT,
} from '../../ratelimit/rate-limit-scripts.js';
import { ACQUIRE_SCRIPT, EXTEND_SCRIPT, TRY_LOCK_SCRIPT } from '../lease-scripts.js';

/**
 * The library's own scripts that write no key an L1 can hold (rate-limit counters, getOrCompute
 * leases), by SHA-1: the `'bus'` coherence does not announce their keys, which would otherwise
 * cost a PUBLISH per rate-limit check. Their keys are still evicted from this service's own L1.
 */
export const QUIET_SCRIPTS: ReadonlySet<string> = new Set(
  [
    SLIDING_WINDOW_SCRIPT,
    FIXED_WINDOW_SCRIPT,
    GCRA_SCRIPT,
    ACQUIRE_SCRIPT,
    TRY_LOCK_SCRIPT,
    EXTEND_SCRIPT,
  ].map((script) => script.sha1),
);
