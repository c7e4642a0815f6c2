import { withinTime } from './time-limit.js';

/** Something a case registered to run after it. */
export type Cleanup = () => Promise<void> | void;

/**
 * Runs `cleanups` newest first, each within `limitMs`, and returns what went wrong. Every cleanup
 * runs even when an earlier one failed or hung: a hung `close()` is abandoned, not awaited forever.
 */
export async function runCleanups(cleanups: readonly Cleanup[], limitMs: number): Promise<Error[]> {
  const errors: Error[] = [];
  for (const [index, cleanup] of [...cleanups].reverse().entries()) {
    try {
      await withinTime(cleanup, limitMs, `cleanup #${cleanups.length - index} (e.g. a driver's close())`);
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return errors;
}
