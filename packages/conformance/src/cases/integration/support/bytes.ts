import assert from 'node:assert/strict';

/** Every byte value once, 0 to 255: the hardest payload for a driver that decodes text. */
export function allByteValues(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** Asserts `actual` is a `Uint8Array` holding exactly `expected`. */
export function assertBytes(actual: unknown, expected: Uint8Array, what: string): void {
  assert.ok(actual instanceof Uint8Array, `${what}: expected a Uint8Array, got ${typeof actual}`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  const first = actual.findIndex((byte, i) => byte !== expected[i]);
  assert.equal(first, -1, `${what}: bytes differ first at index ${first}`);
}
