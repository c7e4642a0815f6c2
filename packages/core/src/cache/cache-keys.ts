import { slotName } from '../cluster/hash-tag.js';
import { keySlot } from '../cluster/key-slot.js';

/** The keys and the channel one cached key uses. */
export interface CacheKeys {
  /** The value key, as the caller named it (the service adds the key prefix). */
  readonly value: string;
  /** The lease key, relative to the key prefix, in the value key's Cluster hash slot. */
  readonly lock: string;
  /** Where the last compute error waits for other processes' waiters, same slot. */
  readonly error: string;
  /**
   * The pub/sub channel that announces a written value or an error (absolute: channels are not
   * prefixed), in the same slot too, so that a script can announce on it with SPUBLISH.
   */
  readonly channel: string;
}

/**
 * Derives the lease and error keys and the notice channel so they hash to the value key's Cluster
 * slot: when the full key already holds a hash tag, suffixes keep it; otherwise the whole full key
 * becomes the tag (`{app:user:1}:lock` hashes exactly like `app:user:1`). A full key with a `}`
 * but no tag cannot be its own tag (the `}` would end it early): its keys start with the tag of a
 * short name of the same slot instead (`{k7}app:a}b:lock`). The service's key prefix has no `{`
 * on a cluster (it refuses one), so the tag is always the first one of the prefixed key.
 */
export function cacheKeys(keyPrefix: string, key: string): CacheKeys {
  const full = keyPrefix + key;
  let base: string; // relative to the prefix: the service prefixes script keys itself
  let channelBase: string;
  if (hasHashTag(full)) {
    base = key;
    channelBase = full;
  } else if (!full.includes('}')) {
    base = `{${full}}`;
    channelBase = base;
  } else {
    const tag = `{${slotName(keySlot(full))}}`;
    base = `${tag}${key}`;
    channelBase = `${tag}${full}`;
  }
  return {
    value: key,
    lock: `${base}:lock`,
    error: `${base}:error`,
    channel: `__rs:goc:${channelBase}`,
  };
}

/** Whether Redis Cluster would hash `key` by a `{tag}` (a `{` followed later by a `}`, not right after it). */
export function hasHashTag(key: string): boolean {
  const open = key.indexOf('{');
  if (open === -1) return false;
  const close = key.indexOf('}', open + 1);
  return close > open + 1;
}
