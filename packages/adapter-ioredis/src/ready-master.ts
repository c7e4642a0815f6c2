import type { Cluster, Redis } from 'ioredis';

/** What is read of ioredis' cluster internals: its connections by node key (`host:port`). */
interface ClusterInternals {
  readonly connectionPool?: { getInstanceByKey(key: string): Redis | undefined };
}

/**
 * The connection to the master of `slot` as the cluster's slot table has it, when that connection
 * is ready to write to now; `undefined` otherwise (the slot is unknown, its master not connected
 * or reconnecting), and then ioredis' own routing is the way. A map lookup, where
 * `cluster.nodes()` would build a list of every node.
 */
export function readyMaster(cluster: Cluster, slot: number): Redis | undefined {
  const key = cluster.slots[slot]?.[0];
  if (key === undefined) return undefined;
  const redis = (cluster as unknown as ClusterInternals).connectionPool?.getInstanceByKey(key);
  return redis?.status === 'ready' ? redis : undefined;
}
