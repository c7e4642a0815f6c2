/**
 * The core mutation of issue 15, applied to core's own source: on a timeout the executor rejects
 * the command but keeps its inflight permit. A driver cannot inject that, so this test swaps core's
 * CommandExecutor module for the mutant and runs the kit case named for it, which must fail.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { PERMIT_CASE, runPermitCase } from './permit-case.js';

vi.mock('../../../core/src/service/command-executor.ts', async () => {
  const original = fileURLToPath(new URL('../../../core/src/service/command-executor.ts', import.meta.url));
  const source = await readFile(original, 'utf8');
  // In #expire: settle the call with its timeout error without handing its permit back.
  const anchor = /entry\.fail\(\s*new RedisTimeoutError\(/;
  if (!anchor.test(source))
    throw new Error('the mutation anchor is gone from command-executor.ts: update this test');
  const mutant = source
    .replace(anchor, '((entry.settled = true), entry.reject)(new RedisTimeoutError(')
    // The copy lives elsewhere: its relative imports point back into core's source.
    .replace(
      /from '(\.\.?\/[^']+)\.js'/g,
      (_, path: string) => `from '${resolve(dirname(original), path)}.ts'`,
    );
  const file = join(await mkdtemp(join(tmpdir(), 'rsk-mutant-')), 'command-executor.ts');
  await writeFile(file, mutant);
  return import(/* @vite-ignore */ file);
});

describe(`${PERMIT_CASE} against a core that keeps a timed-out command's permit`, () => {
  it('fails: the next command waits for a permit that never comes back', async () => {
    const result = await runPermitCase();
    expect(result.status).toBe('failed');
    // It waits for a permit until its queue deadline (or, without one, until the case's guard).
    expect(String((result.error as Error).message)).toMatch(
      /^the next command: .*(no inflight permit within|still pending after)/,
    );
  }, 90_000);
});
