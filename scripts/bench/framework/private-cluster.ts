/** The bench's private Redis Cluster: started on first use, stopped at the end of the run. */
import { type RedisClusterHandle, startRedisCluster } from '@redis-service/conformance/harness';

/** A cluster started on the first `get()`; `stop()` stops it if it was started. */
export interface LazyCluster {
  get(): Promise<RedisClusterHandle>;
  stop(): Promise<void>;
}

/**
 * Three masters without replicas: a replica's stream of every write would cost the shared cores
 * CPU that no contender asked for, and the bench never fails a node over.
 */
export function lazyCluster(): LazyCluster {
  let started: Promise<RedisClusterHandle> | undefined;
  return {
    get() {
      started ??= startRedisCluster({ masters: 3, replicasPerMaster: 0 });
      return started;
    },
    async stop() {
      if (started) await (await started).stop();
    },
  };
}
