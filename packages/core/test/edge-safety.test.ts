import { describe, expect, it } from 'vitest';

/**
 * Every source file of core as text. Vite's `import.meta.glob` reads them at transform time, so
 * this test needs no Node API (and no Node types) to scan the sources.
 */
const sources = (
  import.meta as ImportMeta & {
    glob: (
      pattern: string,
      options: { query: string; import: string; eager: true },
    ) => Record<string, string>;
  }
).glob('../src/**/*.ts', { query: '?raw', import: 'default', eager: true });

const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'diagnostics_channel',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'readline',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The text without comments, so that prose such as "node:crypto does not exist" is not flagged. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('core stays edge-safe', () => {
  const files = Object.entries(sources);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.map(([path]) => path)).toContain('../src/index.ts');
  });

  it.each(files)('%s imports no Node builtin', (_path, text) => {
    for (const specifier of specifiers(text)) {
      expect(specifier.startsWith('node:'), specifier).toBe(false);
      expect(
        NODE_BUILTINS.includes(specifier) || NODE_BUILTINS.includes(specifier.split('/')[0]!),
        specifier,
      ).toBe(false);
    }
  });

  it.each(files)('%s uses neither Buffer nor process', (_path, text) => {
    const body = code(text);
    expect(body).not.toMatch(/\bBuffer\b/);
    expect(body).not.toMatch(/\bprocess\b/);
    expect(body).not.toMatch(/\b(?:__dirname|__filename|setImmediate|global)\b/);
  });

  it('the scanner itself catches what it should', () => {
    expect(specifiers("import { createHash } from 'node:crypto';")).toEqual(['node:crypto']);
    expect(specifiers("import * as fs from 'fs'")).toEqual(['fs']);
    expect(specifiers("export { x } from './y.js';")).toEqual(['./y.js']);
    expect(specifiers("const m = await import('net');")).toEqual(['net']);
    expect(specifiers("import type {\n  A,\n} from 'events';")).toEqual(['events']);
    expect(code('const a = 1; // uses Buffer\n/* process */ const b = 2;')).not.toMatch(/Buffer|process/);
  });
});
