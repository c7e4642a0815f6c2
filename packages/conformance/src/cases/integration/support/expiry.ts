import assert from 'node:assert/strict';

/**
 * Asserts that a PTTL reply is a live expiry of at most `maxMs`. The lower bound is only "still
 * alive": a loaded machine may take seconds between writing and reading.
 */
export function assertExpiresWithin(pttl: number, maxMs: number, what: string): void {
  assert.equal(typeof pttl, 'number', `${what}: pttl must be a number`);
  assert.ok(pttl > 0 && pttl <= maxMs, `${what}: expected 0 < pttl <= ${maxMs}, got ${pttl}`);
}
