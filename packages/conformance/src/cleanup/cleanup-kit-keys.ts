import { type RedisDriver, RedisService, RedisValidationError } from '@redis-service/core';
import { deleteKeys } from '../runner/kit-keys.js';
import { KIT_KEY_PREFIX, runPrefixOf, runStartOf } from '../runner/run-prefix.js';

/** What `cleanupKitKeys` deletes: one run's keys, or every kit run older than a bound. */
export interface CleanupOptions {
  /** A run prefix as the kit reports it (`rsk:<start>-<random>:`): delete that run's keys. */
  readonly run?: string;
  /** Delete the keys of every kit run that started more than this many milliseconds ago. */
  readonly olderThanMs?: number;
  /** The clock (ms since the epoch). Default `Date.now()`. */
  readonly now?: number;
}

/** What a cleanup did. */
export interface CleanupSummary {
  /** Keys deleted. */
  readonly deleted: number;
  /** The run prefixes whose keys were deleted. */
  readonly runs: readonly string[];
  /** Keys under `rsk:` left alone because their run prefix carries no start time (an older kit's). */
  readonly undated: number;
}

const RUN_PREFIX = /^rsk:[^:*?[\]\\]+:$/;

/**
 * Deletes keys the conformance kit wrote: the keys of one run (`run`), or of every run that started
 * more than `olderThanMs` ago. Only keys under `rsk:` are ever touched (SCAN + DEL, never FLUSHDB);
 * the driver stays open (the caller owns it).
 */
export async function cleanupKitKeys(driver: RedisDriver, options: CleanupOptions): Promise<CleanupSummary> {
  const { run, olderThanMs } = options;
  if (run === undefined && olderThanMs === undefined) {
    throw new RedisValidationError('cleanup needs a run prefix or an age (olderThanMs)');
  }
  if (run !== undefined && !RUN_PREFIX.test(run)) {
    throw new RedisValidationError(
      `not a kit run prefix: '${run}' (expected rsk:<run>:, as the kit reports it)`,
    );
  }
  if (olderThanMs !== undefined && !(Number.isFinite(olderThanMs) && olderThanMs >= 0)) {
    throw new RedisValidationError(
      `olderThanMs must be a non-negative number of milliseconds, got ${olderThanMs}`,
    );
  }
  // Never closed: closing the service would close the caller's driver.
  const redis = new RedisService(driver, { keyPrefix: run ?? KIT_KEY_PREFIX, commandTimeoutMs: 30_000 });
  if (run !== undefined) {
    const deleted = await deleteKeys(redis);
    return { deleted, runs: deleted > 0 ? [run] : [], undated: 0 };
  }
  const cutoff = (options.now ?? Date.now()) - olderThanMs!;
  const runs = new Set<string>();
  let undated = 0;
  const deleted = await deleteKeys(redis, (key) => {
    const full = `${KIT_KEY_PREFIX}${key}`;
    const started = runStartOf(full);
    if (started === undefined) {
      undated++;
      return true;
    }
    if (started > cutoff) return true;
    runs.add(runPrefixOf(full)!);
    return false;
  });
  return { deleted, runs: [...runs], undated };
}
