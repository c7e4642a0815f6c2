import type { RedisService } from '@redis-service/core';

/**
 * How long a key the kit wrote may outlive the case that wrote it. After each integration case the
 * runner gives every key under that case's prefix an expiry of at most this, so a run that is
 * killed (or a server it cannot reach any more at the end) leaves nothing behind for longer.
 */
export const KIT_KEY_TTL_MS = 60_000;

const BATCH = 200;

/** Keys of `redis`'s key prefix, in batches (SCAN, never KEYS). */
async function* keyBatches(redis: RedisService, match?: string): AsyncGenerator<string[]> {
  let batch: string[] = [];
  const seen = new Set<string>();
  for await (const key of redis.scan({ count: 500, ...(match === undefined ? {} : { match }) })) {
    // SCAN may yield a key twice; each one is handled once.
    if (seen.has(key)) continue;
    seen.add(key);
    batch.push(key);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Gives every key under `redis`'s key prefix (and matching `match`, a SCAN pattern after the
 * prefix) an expiry of at most `ttlMs`: keys without one get
 * it, keys with a longer one are shortened, shorter ones are left alone (`PEXPIRE ... LT`, Redis 7;
 * on an older server, keys without an expiry get one). Returns how many keys it looked at.
 */
export async function capKeyExpiry(
  redis: RedisService,
  ttlMs: number = KIT_KEY_TTL_MS,
  match?: string,
): Promise<number> {
  let count = 0;
  for await (const keys of keyBatches(redis, match)) {
    count += keys.length;
    const results = await redis.pipeline((p) => keys.map((key) => p.pexpire(key, ttlMs, { lt: true })));
    const refused = keys.filter((_, index) => !results[index]?.ok);
    if (refused.length === 0) continue;
    // Before Redis 7 PEXPIRE has no LT: set an expiry where there is none.
    const ttls = await redis.pipeline((p) => refused.map((key) => p.pttl(key)));
    const persistent = refused.filter((_, index) => {
      const ttl = ttls[index];
      return ttl?.ok === true && ttl.value === -1;
    });
    if (persistent.length > 0) await redis.pipeline((p) => persistent.map((key) => p.pexpire(key, ttlMs)));
  }
  return count;
}

/** Deletes every key under `redis`'s key prefix (SCAN + DEL; never FLUSHDB). Returns how many it deleted. */
export async function deleteKeys(redis: RedisService, keep?: (key: string) => boolean): Promise<number> {
  let deleted = 0;
  for await (const keys of keyBatches(redis)) {
    const doomed = keep ? keys.filter((key) => !keep(key)) : keys;
    if (doomed.length > 0) deleted += await redis.delete(...doomed);
  }
  return deleted;
}
