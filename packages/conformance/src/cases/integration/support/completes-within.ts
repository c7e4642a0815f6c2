import assert from 'node:assert/strict';
import { settleWithin } from './settle-within.js';

/**
 * Waits for `promise` and returns its value (or throws its error), failing the case when it is
 * still pending after `guardMs`. The guard only catches a hang: it is never a speed requirement,
 * so make it generous. `hint` says what a hang would mean.
 */
export async function completesWithin<T>(
  promise: Promise<T>,
  guardMs: number,
  what: string,
  hint?: string,
): Promise<T> {
  const outcome = await settleWithin(promise, guardMs);
  if (outcome.status === 'hung')
    assert.fail(`${what}: still pending after ${guardMs} ms${hint ? ` (${hint})` : ''}`);
  if (outcome.status === 'rejected') throw outcome.error;
  return outcome.value as T;
}
