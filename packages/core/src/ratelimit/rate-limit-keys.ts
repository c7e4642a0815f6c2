import { hashTag } from '../cluster/hash-tag.js';
import type { RateLimitAlgorithm } from './rate-limit-options.js';

const SUFFIXES: Readonly<Record<RateLimitAlgorithm, string>> = {
  'sliding-window': 'sw',
  'sliding-window-counter': 'swc',
  'fixed-window': 'fw',
  gcra: 'gcra',
};

/**
 * The keys (before the service prefix) one check touches: `rl:{<key>}:<suffix>`. The user key is
 * the hash tag, so every key of one check lands on the same Redis Cluster slot and different
 * keys spread over the slots, and each algorithm has keys of its own, so switching algorithms
 * never meets a key of the wrong type. A key holding a `}` (which would end the tag early and
 * put every such key on the slot of its first part) is tagged by `hashTag` instead, and keeps its
 * whole name after the tag: `rl:{<short name of its slot>}:<key>:<suffix>`.
 */
export function rateLimitKeys(key: string, algorithm: RateLimitAlgorithm): string[] {
  // Each algorithm needs one key today; the list form lets one grow a second in the same slot.
  const suffix = SUFFIXES[algorithm];
  return [key.includes('}') ? `rl:${hashTag(key)}:${key}:${suffix}` : `rl:{${key}}:${suffix}`];
}
