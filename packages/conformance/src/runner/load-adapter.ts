import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AdapterUnderTest } from '../case.js';

/** A module specifier as `import()` takes it: URLs stay, paths (relative to `cwd`) become file URLs. */
export function moduleUrl(specifier: string, cwd: string = process.cwd()): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier);
  if (isUrl) return specifier;
  return pathToFileURL(isAbsolute(specifier) ? specifier : resolve(cwd, specifier)).href;
}

/** Whether `value` looks like an `AdapterUnderTest` (a name and a `createDriver` function). */
export function isAdapter(value: unknown): value is AdapterUnderTest {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<AdapterUnderTest>;
  return typeof candidate.name === 'string' && typeof candidate.createDriver === 'function';
}

/**
 * Imports an adapter module and returns its `AdapterUnderTest`: the export named `exportName`, or
 * by default the default export. Throws naming the exports it found when there is none.
 */
export async function loadAdapter(specifier: string, exportName = 'default'): Promise<AdapterUnderTest> {
  const loaded = (await import(moduleUrl(specifier))) as Record<string, unknown>;
  const adapter = loaded[exportName];
  if (isAdapter(adapter)) return adapter;
  const found = Object.keys(loaded).filter((name) => isAdapter(loaded[name]));
  const hint = found.length > 0 ? ` (adapters it exports: ${found.join(', ')})` : '';
  throw new Error(
    `${specifier} has no AdapterUnderTest export named '${exportName}' (an object with a name and createDriver)${hint}`,
  );
}
