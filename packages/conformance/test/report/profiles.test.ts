import type { DriverCapabilities } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { conformanceProfiles, conformanceVerdict } from '../../src/index.js';

const all: DriverCapabilities = {
  transactions: true,
  scripting: true,
  pubsub: true,
  binary: true,
  blocking: true,
  search: 'detect',
  exactIntegers: true,
  cluster: false,
  shardedPubsub: false,
};

const verdict = (
  capabilities: Partial<DriverCapabilities>,
  extra: { hasWorker?: boolean; failed?: number; partial?: string[] } = {},
) =>
  conformanceVerdict({
    capabilities: { ...all, ...capabilities },
    hasWorker: extra.hasWorker ?? true,
    failed: extra.failed ?? 0,
    partial: extra.partial ?? [],
  });

describe('conformance levels', () => {
  it('are listed highest first, each asking for at least what the one below asks for', () => {
    expect(conformanceProfiles.map((profile) => profile.level)).toEqual(['full', 'standard', 'core']);
    for (const [index, profile] of conformanceProfiles.slice(0, -1).entries()) {
      const below = conformanceProfiles[index + 1]!;
      expect(below.capabilities.every((capability) => profile.capabilities.includes(capability))).toBe(true);
      expect(profile.worker || !below.worker).toBe(true);
    }
    expect(conformanceProfiles.at(-1)?.capabilities).toEqual([]);
  });

  it('give full to an adapter that declares everything and passes', () => {
    expect(verdict({})).toEqual({ level: 'full', summary: 'full', missingForNext: [] });
  });

  it('give a lower level, saying what the next one needs, to one that declares less', () => {
    expect(verdict({ binary: false, blocking: false })).toEqual({
      level: 'standard',
      summary: 'standard (full also needs: binary, blocking)',
      missingForNext: ['binary', 'blocking'],
    });
    expect(verdict({ exactIntegers: false, binary: false }).summary).toBe(
      'core (standard also needs: exactIntegers)',
    );
    expect(verdict({}, { hasWorker: false }).summary).toBe("core (standard also needs: a 'worker' entry)");
    expect(verdict({ transactions: false, scripting: false, pubsub: false }).level).toBe('core');
  });

  it('give none to a run with a failure or that did not cover the whole kit', () => {
    expect(verdict({}, { failed: 2 }).summary).toBe('none: 2 case(s) failed');
    expect(verdict({}, { partial: ['the integration tier was left out'] }).summary).toBe(
      'not rated (a partial run: the integration tier was left out)',
    );
    expect(
      conformanceVerdict({ capabilities: undefined, hasWorker: true, failed: 0, partial: [] }).level,
    ).toBe('none');
  });
});
