import assert from 'node:assert/strict';

/** Any error class, abstract ones included (e.g. `RedisError`). */
export type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * Asserts that `promise` rejects with an instance of `type` and returns the error, so the case can
 * check its message, prefix, key or issues next. `what` names the call in the failure message.
 */
export async function rejectsWith<E extends Error>(
  promise: Promise<unknown>,
  type: ErrorClass<E>,
  what: string,
): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    if (error instanceof type) return error;
    const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    assert.fail(`${what}: expected ${type.name}, got ${shown}`);
  }
  assert.fail(`${what}: expected ${type.name}, but it resolved with ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
