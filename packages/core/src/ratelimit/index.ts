export { checkRateLimit, type ScriptRunner } from './check-rate-limit.js';
export { rateLimitKeys } from './rate-limit-keys.js';
export type {
  FixedWindowOptions,
  GcraOptions,
  RateLimitAlgorithm,
  RateLimitOptions,
  RateLimitResult,
  SlidingWindowCounterOptions,
  SlidingWindowOptions,
} from './rate-limit-options.js';
export {
  FIXED_WINDOW_SCRIPT,
  GCRA_SCRIPT,
  SLIDING_WINDOW_COUNTER_SCRIPT,
  SLIDING_WINDOW_SCRIPT,
} from './rate-limit-scripts.js';
