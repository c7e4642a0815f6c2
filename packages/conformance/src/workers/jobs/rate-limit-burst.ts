import type { RateLimitOptions } from '@redis-service/core';
import type { WorkerJob } from '../worker-job.js';

/** Params of the `rate-limit/burst` job. */
export interface RateLimitBurstParams {
  readonly key: string;
  readonly options: RateLimitOptions;
  /** How many checks this worker fires at once. */
  readonly concurrency: number;
  /** Wall-clock ms (shared by processes on one machine) to wait for, so every worker fires together. */
  readonly startAtMs?: number;
}

/** What the `rate-limit/burst` job reports. */
export interface RateLimitBurstResult {
  readonly allowed: number;
  readonly denied: number;
  /** Messages of checks that rejected (should be none). */
  readonly errors: readonly string[];
}

/** Fires `concurrency` checks of one key at once and counts the outcomes. */
export const rateLimitBurstJob: WorkerJob = async ({ redis }, params): Promise<RateLimitBurstResult> => {
  const { key, options, concurrency, startAtMs } = params as RateLimitBurstParams;
  const wait = (startAtMs ?? 0) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const outcomes = await Promise.allSettled(
    Array.from({ length: concurrency }, () => redis.checkRateLimit(key, options)),
  );
  let allowed = 0;
  let denied = 0;
  const errors: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      const reason: unknown = outcome.reason;
      errors.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
    } else if (outcome.value.allowed) allowed++;
    else denied++;
  }
  return { allowed, denied, errors };
};
