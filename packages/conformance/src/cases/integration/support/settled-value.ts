import assert from 'node:assert/strict';
import type { BatchSettled } from '@redis-service/core';
import type { ErrorClass } from './rejects-with.js';

/** Asserts one batch outcome succeeded and returns its value. */
export function settledValue<T>(outcome: BatchSettled<T> | undefined, what: string): T {
  assert.ok(outcome, `${what}: no outcome`);
  if (!outcome.ok)
    assert.fail(`${what}: expected a value, got ${outcome.error.name}: ${outcome.error.message}`);
  return outcome.value;
}

/** Asserts one batch outcome failed with an instance of `type` and returns the error. */
export function settledError<E extends Error>(
  outcome: BatchSettled<unknown> | undefined,
  type: ErrorClass<E>,
  what: string,
): E {
  assert.ok(outcome, `${what}: no outcome`);
  if (outcome.ok) assert.fail(`${what}: expected ${type.name}, got the value ${String(outcome.value)}`);
  const { error } = outcome;
  if (!(error instanceof type))
    assert.fail(`${what}: expected ${type.name}, got ${error.name}: ${error.message}`);
  return error;
}
