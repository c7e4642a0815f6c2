import { describe } from '../../commands/validate.js';
import { RedisValidationError } from '../../errors/redis-error.js';

/**
 * How the in-process cache (L1) learns that a value it holds changed in Redis:
 * - `'tracking'`: Redis tells it (`CLIENT TRACKING ... BCAST`, server-assisted client-side
 *   caching). Every write to a key under the service's key prefix evicts the key, whoever made
 *   it: this service, another process, `redis-cli`. Needs a driver that declares `tracking`
 *   (ioredis, node-redis).
 * - `'bus'`: the services of this library tell each other over pub/sub (channel
 *   `__rs:l1:invalidate`). Writes made through any service with an L1 on the same server evict
 *   the key everywhere; a write made outside the library does not: such a change is seen only
 *   when the L1 entry's TTL runs out. For drivers without tracking (Upstash REST).
 * - `'ttl'`: nothing tells it; only this service's own writes and the TTL bound what is served.
 */
export type L1Coherence = 'tracking' | 'bus' | 'ttl';

/** Options of the in-process cache in front of Redis (the service option `l1`). */
export interface L1Options {
  /** The most entries held at once; the least recently used go first. Default 10 000. */
  readonly maxEntries?: number;
  /**
   * The most bytes held at once, as estimated (see `L1Stats.bytes`): each entry counts 160 bytes
   * plus two per character of its key and of the text Redis returned (JS strings are UTF-16),
   * and that again for each decoded form it keeps (a JSON value, a model's output). Default 64 MiB.
   */
  readonly maxBytes?: number;
  /**
   * The longest an entry is served, in milliseconds. An entry never outlives its key's TTL in
   * Redis either (read with PTTL, or the TTL `getOrCompute` wrote), so this bounds keys without a
   * TTL, and what a write the coherence cannot see (outside the library, on `'bus'`) may leave
   * stale. Default 60 000.
   */
  readonly ttlMs?: number;
  /** How the L1 hears of changes; see `L1Coherence`. Default `'tracking'` where the driver declares it, else `'bus'`. */
  readonly coherence?: L1Coherence;
}

/** `L1Options` checked, defaults filled in (the coherence is settled against the driver later). */
export interface ResolvedL1Options {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly ttlMs: number;
  readonly coherence: L1Coherence | undefined;
}

/** Default `maxEntries`. */
export const DEFAULT_L1_MAX_ENTRIES = 10_000;
/** Default `maxBytes`: 64 MiB. */
export const DEFAULT_L1_MAX_BYTES = 64 * 1024 * 1024;
/** Default `ttlMs`. */
export const DEFAULT_L1_TTL_MS = 60_000;

const COHERENCES: readonly L1Coherence[] = ['tracking', 'bus', 'ttl'];

/** Checks the `l1` option before anything is built; bad values throw `RedisValidationError`. */
export function resolveL1Options(options: L1Options): ResolvedL1Options {
  if (typeof options !== 'object' || options === null) {
    throw new RedisValidationError(`l1 must be an object of options, got ${describe(options)}`);
  }
  const coherence = options.coherence;
  if (coherence !== undefined && !COHERENCES.includes(coherence)) {
    throw new RedisValidationError(
      `l1.coherence must be 'tracking', 'bus' or 'ttl', got ${describe(coherence)}`,
    );
  }
  return {
    maxEntries: positiveInteger(options.maxEntries ?? DEFAULT_L1_MAX_ENTRIES, 'l1.maxEntries'),
    maxBytes: positiveInteger(options.maxBytes ?? DEFAULT_L1_MAX_BYTES, 'l1.maxBytes'),
    ttlMs: positiveInteger(options.ttlMs ?? DEFAULT_L1_TTL_MS, 'l1.ttlMs'),
    coherence,
  };
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RedisValidationError(`${what} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}
