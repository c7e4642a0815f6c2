import type { WorkerJob } from '../worker-job.js';

/** Params of the `watch/increment` job. */
export interface WatchIncrementParams {
  readonly key: string;
  /** How many increments this worker commits. */
  readonly increments: number;
  /** How many of them run at once (each on a dedicated connection of its own). */
  readonly concurrency: number;
  /** `maxRetries` of each `watch`. */
  readonly maxRetries: number;
  /** Wall-clock ms (shared by processes on one machine) to wait for, so every worker starts together. */
  readonly startAtMs?: number;
}

/** What the `watch/increment` job reports. */
export interface WatchIncrementResult {
  /** Increments that committed. */
  readonly committed: number;
  /** Attempts that met a conflict and ran again (or gave up). */
  readonly conflicts: number;
  /** Increments that gave up after `maxRetries` conflicts. */
  readonly gaveUp: number;
  /** Messages of calls that rejected (should be none). */
  readonly errors: readonly string[];
}

/** Increments one counter with GET + WATCH + MULTI/SET/EXEC (never INCR), counting commits and conflicts. */
export const watchIncrementJob: WorkerJob = async ({ redis }, params): Promise<WatchIncrementResult> => {
  const { key, increments, concurrency, maxRetries, startAtMs } = params as WatchIncrementParams;
  const wait = (startAtMs ?? 0) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  let committed = 0;
  let conflicts = 0;
  let gaveUp = 0;
  let started = 0;
  const errors: string[] = [];
  const lane = async () => {
    while (started < increments) {
      started++;
      try {
        const outcome = await redis.watch(
          key,
          async (tx) => {
            const current = Number((await tx.get(key)) ?? 0);
            return tx.multi((m) => [m.set(key, current + 1)]);
          },
          { maxRetries },
        );
        conflicts += outcome.attempts - 1;
        if (outcome.committed) committed++;
        else {
          conflicts++;
          gaveUp++;
        }
      } catch (error) {
        errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { committed, conflicts, gaveUp, errors };
};
