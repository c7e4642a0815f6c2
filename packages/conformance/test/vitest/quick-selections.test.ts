import { describe, expect, it } from 'vitest';
import { allCases } from '../../src/cases/all-cases.js';
import { fullClusterMatrixOnly } from '../../src/vitest/cluster-quick-selection.js';
import { coreScriptProcessesRunIn } from '../../src/vitest/core-script-processes.js';

// The quick selections of `pnpm test` name cases by id: a renamed case would quietly run
// everywhere again (or a new id be mistyped), so every id they name must be a case of the kit.
describe('the quick selections of pnpm test', () => {
  it('coreScriptProcessesRunIn skips exactly its eight multi-process cases, each with the column that runs it', () => {
    const skip = coreScriptProcessesRunIn('the ioredis column');
    const skipped = allCases.filter((testCase) => skip(testCase) !== undefined);
    expect(skipped.map((testCase) => testCase.id).sort()).toEqual([
      'get-or-compute/compute-error-across-processes',
      'get-or-compute/late-owner-failure-is-fenced',
      'get-or-compute/late-owner-value-is-fenced',
      'get-or-compute/stampede-across-processes',
      'rate-limit/fixed-window-exact-across-processes',
      'rate-limit/gcra-exact-across-processes',
      'rate-limit/sliding-window-counter-exact-across-processes',
      'rate-limit/sliding-window-exact-across-processes',
    ]);
    for (const testCase of skipped) expect(skip(testCase)).toContain('the ioredis column');
  });

  it('fullClusterMatrixOnly names only cases of the kit, each with the sibling that stays', () => {
    const skipped = allCases.filter((testCase) => fullClusterMatrixOnly(testCase) !== undefined);
    expect(skipped).toHaveLength(7);
    const ids = new Set(allCases.map((testCase) => testCase.id));
    for (const testCase of skipped) {
      const sibling = /\(([^()]+)\)$/.exec(fullClusterMatrixOnly(testCase) ?? '')?.[1];
      expect(sibling !== undefined && ids.has(sibling)).toBe(true);
    }
  });
});
