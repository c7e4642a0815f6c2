import type { ClusterOptions } from 'ioredis';
import { failFastOptions, reconnectDelay } from './fail-fast-options.js';

/** ioredis Cluster options the factories may not take from `clusterOptions`: the service owns key prefixes. */
export type IoredisClusterClientOptions = Omit<ClusterOptions, 'keyPrefix'>;

/**
 * The ioredis `Cluster` options the cluster factories use, so that a dead cluster fails a command
 * within milliseconds and a failover costs a few failed calls, not a hang:
 *
 * - every node connection gets the single-node fail-fast options (`failFastOptions`: RESP2 with
 *   exact integers, no retry of a command in flight, connect and command timeouts);
 * - `clusterRetryStrategy`: after losing every node (or failing to reach any seed) try again 50 ms
 *   later, doubling to at most 400 ms, forever, so a cluster that comes back is picked up; the
 *   driver's gate fails the commands of each failed attempt at once meanwhile;
 * - `retryDelayOnFailover: 0`: a command whose connection closed under it fails
 *   (`RedisConnectionError`) instead of being sent again, which could run it twice; a command to a
 *   slot whose master died fails the same way, fast, until the promoted replica is in the slot
 *   table (ioredis refreshes it on the MOVED the other nodes answer meanwhile);
 * - `retryDelayOnTryAgain` of 100 ms, `maxRedirections: 32`: a command the cluster refused
 *   without running it (TRYAGAIN, MOVED, ASK) is sent again, for about 3 s at most (a slot
 *   migration's TRYAGAIN lasts while the keys move), then fails typed;
 * - `retryDelayOnClusterDown: 0`: a CLUSTERDOWN fails the command at once (RedisUnavailableError,
 *   as on node-redis), so the failure policy decides; ioredis would refresh its slot table before
 *   each of up to 32 retries, which kept callers waiting for seconds on a cluster that said it
 *   was down;
 * - `slotsRefreshTimeout` of `connectTimeoutMs`; `enableReadyCheck`: a cluster that says
 *   `cluster_state:fail` is not ready;
 * - `shardedSubscribers: true`: sharded pub/sub (SSUBSCRIBE) follows each slot to its master.
 */
export function clusterFailFastOptions(settings: {
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
}): ClusterOptions {
  return {
    redisOptions: failFastOptions(settings),
    clusterRetryStrategy: reconnectDelay,
    enableOfflineQueue: true,
    enableReadyCheck: true,
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    retryDelayOnTryAgain: 100,
    retryDelayOnMoved: 0,
    maxRedirections: 32,
    slotsRefreshTimeout: Math.max(settings.connectTimeoutMs, 100),
    scaleReads: 'master',
    shardedSubscribers: true,
  };
}
