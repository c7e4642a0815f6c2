import { describe, expect, it } from 'vitest';
import { allCases } from '../../src/cases/all-cases.js';
import { brokenDrivers, mustFailIds } from '../../src/faults/broken-drivers.js';

describe('case ids', () => {
  it('are unique across both tiers', () => {
    const ids = allCases.map((testCase) => testCase.id);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect(duplicates).toEqual([]);
  });

  it('are group/slug, with the group matching the case group', () => {
    for (const testCase of allCases) {
      expect(testCase.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(testCase.id.split('/')[0]).toBe(testCase.group);
    }
  });

  it('name a real case for every broken driver', () => {
    const ids = new Set(allCases.map((testCase) => testCase.id));
    for (const broken of brokenDrivers) {
      for (const id of mustFailIds(broken)) expect(ids.has(id), id).toBe(true);
    }
  });

  it('give every broken driver a fault of its own', () => {
    const faults = brokenDrivers.map((broken) => broken.fault);
    expect(faults.filter((fault, index) => faults.indexOf(fault) !== index)).toEqual([]);
  });
});
