/** The keys and the channel one cached key uses. */
export interface CacheKeys {
  /** The value key, as the caller named it (the service adds the key prefix). */
  readonly value: string;
  /** The lease key, relative to the key prefix, in the value key's Cluster hash slot. */
  readonly lock: string;
  /** Where the last compute error waits for other processes' waiters, same slot. */
  readonly error: string;
  /** The pub/sub channel that announces a written value or an error (absolute: channels are not prefixed). */
  readonly channel: string;
}

/**
 * Derives the lease and error keys so they hash to the value key's Cluster slot: when the full
 * key already holds a hash tag, suffixes keep it; otherwise the whole full key becomes the tag
 * (`{app:user:1}:lock` hashes exactly like `app:user:1`). The channel names the full key.
 */
export function cacheKeys(keyPrefix: string, key: string): CacheKeys {
  const full = keyPrefix + key;
  // Relative to the prefix, because the service prefixes script keys itself.
  const base = hasHashTag(full) ? key : `{${full}}`;
  return {
    value: key,
    lock: `${base}:lock`,
    error: `${base}:error`,
    channel: `__rs:goc:${full}`,
  };
}

/** Whether Redis Cluster would hash `key` by a `{tag}` (a `{` followed later by a `}`, not right after it). */
export function hasHashTag(key: string): boolean {
  const open = key.indexOf('{');
  if (open === -1) return false;
  const close = key.indexOf('}', open + 1);
  return close > open + 1;
}
