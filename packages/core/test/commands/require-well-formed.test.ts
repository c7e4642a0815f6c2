import { afterEach, describe, expect, it, vi } from 'vitest';

const WELL_FORMED = ['plain', 'emoji \uD83D\uDE00 pair', '\uFEFFbom', 'é'];
const LONE = [
  ['q\uD800', 1],
  ['\uDC00q', 0],
  ['\uDE00\uD83D', 0],
  ['ok\uD83D\uDE00\uD800', 4],
] as const;

/** The checks of `validate.ts`, loaded afresh (it picks its fast path when the module loads). */
async function load(): Promise<typeof import('../../src/commands/validate.js')> {
  vi.resetModules();
  return import('../../src/commands/validate.js');
}

describe.each([
  ['with String.prototype.isWellFormed', false],
  ['on a runtime without it (the pattern alone)', true],
])('requireWellFormed %s', (_name, hide) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function checks(): Promise<typeof import('../../src/commands/validate.js')> {
    if (!hide) return load();
    const original = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed');
    // biome-ignore lint/suspicious/noExplicitAny: removing a built-in for the test
    delete (String.prototype as any).isWellFormed;
    try {
      return await load();
    } finally {
      if (original) Object.defineProperty(String.prototype, 'isWellFormed', original);
    }
  }

  it('passes well-formed text through as it is', async () => {
    const { requireWellFormed } = await checks();
    for (const text of WELL_FORMED) expect(requireWellFormed(text, 'key')).toBe(text);
  });

  it('rejects a lone surrogate with its index', async () => {
    const { requireWellFormed } = await checks();
    for (const [text, index] of LONE) {
      // `load()` gave the module a fresh copy of the error classes: compare by name.
      expect(() => requireWellFormed(text, 'key')).toThrow(
        expect.objectContaining({ name: 'RedisValidationError' }),
      );
      expect(() => requireWellFormed(text, 'key')).toThrow(`lone surrogate at index ${index}`);
    }
  });
});
