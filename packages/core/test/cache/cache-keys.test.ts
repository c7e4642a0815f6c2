import { cacheKeys } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { hasHashTag } from '../../src/cache/cache-keys.js';

describe('cacheKeys', () => {
  it('makes the full key the hash tag of the lease and error keys and the channel, so they share its Cluster slot', () => {
    expect(cacheKeys('app:', 'user:1')).toEqual({
      value: 'user:1',
      lock: '{app:user:1}:lock',
      error: '{app:user:1}:error',
      channel: '__rs:goc:{app:user:1}',
    });
  });

  it('tags a key whose } would cut its own tag short by a short name of its slot', () => {
    expect(cacheKeys('app:', 'a}b')).toEqual({
      value: 'a}b',
      lock: '{3Lk}a}b:lock',
      error: '{3Lk}a}b:error',
      channel: '__rs:goc:{3Lk}app:a}b',
    });
  });

  it('keeps an existing hash tag', () => {
    expect(cacheKeys('app:', '{user:1}:profile')).toMatchObject({
      lock: '{user:1}:profile:lock',
      error: '{user:1}:profile:error',
    });
    expect(cacheKeys('{tenant}:', 'k').lock).toBe('k:lock');
  });

  it('knows what Cluster counts as a hash tag', () => {
    expect(hasHashTag('a{b}c')).toBe(true);
    expect(hasHashTag('a{}b')).toBe(false);
    expect(hasHashTag('a}b{')).toBe(false);
    expect(hasHashTag('plain')).toBe(false);
  });
});
