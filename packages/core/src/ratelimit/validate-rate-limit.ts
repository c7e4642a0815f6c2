import { requireKey } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import { isRedisFailurePolicy } from '../policy/failure-policy.js';
import type { LuaScript } from '../port/driver.js';
import type { BatchScript } from './rate-limit-batch-script.js';
import type { RateLimitOptions } from './rate-limit-options.js';
import {
  FIXED_WINDOW_BATCH,
  FIXED_WINDOW_SCRIPT,
  GCRA_BATCH,
  GCRA_SCRIPT,
  SLIDING_WINDOW_BATCH,
  SLIDING_WINDOW_COUNTER_BATCH,
  SLIDING_WINDOW_COUNTER_SCRIPT,
  SLIDING_WINDOW_SCRIPT,
} from './rate-limit-scripts.js';

const WINDOW_SCRIPTS = {
  'sliding-window': { script: SLIDING_WINDOW_SCRIPT, batch: SLIDING_WINDOW_BATCH },
  'sliding-window-counter': { script: SLIDING_WINDOW_COUNTER_SCRIPT, batch: SLIDING_WINDOW_COUNTER_BATCH },
  'fixed-window': { script: FIXED_WINDOW_SCRIPT, batch: FIXED_WINDOW_BATCH },
} as const;

/** A checked call, ready to send: the algorithm's script and its ARGV, plus what the result reports. */
export interface PreparedRateLimit {
  readonly script: LuaScript;
  /** The algorithm's batch form, which runs this call among others of the same algorithm. */
  readonly batch: BatchScript;
  readonly args: number[];
  /** The limit (or the GCRA burst). */
  readonly limit: number;
  readonly cost: number;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RedisValidationError(`rate limit ${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Refuses bad options with `RedisValidationError` before anything is sent, and picks the script.
 * Runs on every check, so it builds one small object and no copies of the options.
 */
export function prepareRateLimit(key: unknown, options: RateLimitOptions): PreparedRateLimit {
  requireKey(key, 'rate limit key');
  if (typeof options !== 'object' || options === null) {
    throw new RedisValidationError('rate limit options must be an object');
  }
  if (options.failurePolicy !== undefined && !isRedisFailurePolicy(options.failurePolicy)) {
    throw new RedisValidationError(
      `failurePolicy must be 'fail-open' or 'fail-closed', got ${String(options.failurePolicy)}`,
    );
  }
  const cost = options.cost === undefined ? 1 : positiveInteger(options.cost, 'cost');
  let prepared: PreparedRateLimit;
  switch (options.algorithm) {
    case 'sliding-window':
    case 'sliding-window-counter':
    case 'fixed-window': {
      const limit = positiveInteger(options.limit, 'limit');
      const windowMs = positiveInteger(options.windowMs, 'windowMs');
      const { script, batch } = WINDOW_SCRIPTS[options.algorithm];
      prepared = { script, batch, args: [limit, windowMs, cost], limit, cost };
      break;
    }
    case 'gcra': {
      const burst = positiveInteger(options.burst, 'burst');
      const rate = positiveInteger(options.rate, 'rate');
      const periodMs = positiveInteger(options.periodMs, 'periodMs');
      prepared = {
        script: GCRA_SCRIPT,
        batch: GCRA_BATCH,
        args: [burst, rate, periodMs, cost],
        limit: burst,
        cost,
      };
      break;
    }
    default:
      throw new RedisValidationError(
        `rate limit algorithm must be 'sliding-window', 'sliding-window-counter', 'fixed-window' or 'gcra', got ${String((options as { algorithm?: unknown }).algorithm)}`,
      );
  }
  if (cost > prepared.limit) {
    throw new RedisValidationError(
      `rate limit cost (${cost}) exceeds the ${options.algorithm === 'gcra' ? 'burst' : 'limit'} (${prepared.limit}): such a call could never pass`,
    );
  }
  return prepared;
}
