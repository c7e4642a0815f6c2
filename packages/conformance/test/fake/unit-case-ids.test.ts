import { describe, expect, it } from 'vitest';
import { unitCases } from '../../src/cases/unit/index.js';

describe('unitCases', () => {
  it('have unique, stable `group/slug` ids whose group is the case group', () => {
    const ids = unitCases.map((testCase) => testCase.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const testCase of unitCases) {
      expect(testCase.id).toMatch(/^[a-z]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(testCase.id.split('/')[0]).toBe(testCase.group);
      expect(testCase.tier).toBe('unit');
      expect(testCase.name.length).toBeGreaterThan(10);
    }
  });

  it('cover every group of the unit tier', () => {
    expect(new Set(unitCases.map((testCase) => testCase.group))).toEqual(
      new Set([
        'replies',
        'errors',
        'arguments',
        'batches',
        'scripts',
        'faults',
        'limiter',
        'cluster',
        'search',
      ]),
    );
  });
});
