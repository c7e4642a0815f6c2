/**
 * GET/SET on a Redis Cluster: the service over each cluster client against that client used
 * directly, at 64 callers. The keys of the mix spread over every master.
 */
import { createIoredisClusterService } from '@redis-service/adapter-ioredis';
import { createNodeRedisClusterService } from '@redis-service/adapter-node-redis';
import type { ThroughputScenario } from '../framework/scenario.js';
import { CLUSTER_CALLERS, openIoredisCluster, openNodeRedisCluster } from './cluster-clients.js';
import { getSetContender, SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const RAW_IOREDIS = 'raw ioredis Cluster';
const AUTOPIPE_IOREDIS = 'raw ioredis Cluster (autopipelining)';
const OURS_IOREDIS = 'service (ioredis cluster)';

export const clusterGetSetIoredis: ThroughputScenario = {
  kind: 'throughput',
  id: 'cluster/get-set/ioredis',
  title: 'GET/SET on a 3-master cluster, ioredis',
  unit: 'ops/s',
  contenders: [
    getSetContender(RAW_IOREDIS, 'raw', async (ctx) => {
      const client = await openIoredisCluster(ctx, false);
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.disconnect() };
    }),
    // ioredis' documented speed option: the commands of one tick go as one pipeline per node.
    getSetContender(AUTOPIPE_IOREDIS, 'raw', async (ctx) => {
      const client = await openIoredisCluster(ctx, true);
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.disconnect() };
    }),
    getSetContender(OURS_IOREDIS, 'ours', async (ctx) => {
      const service = createIoredisClusterService({
        nodes: (await ctx.cluster()).urls,
        maxInflight: SWEEP_MAX_INFLIGHT,
      });
      return { get: (k) => service.get(k), set: (k, v) => service.set(k, v), close: () => service.close() };
    }),
  ],
  targets: [
    { ours: OURS_IOREDIS, theirs: RAW_IOREDIS, atLeast: 0.95 },
    { ours: OURS_IOREDIS, theirs: AUTOPIPE_IOREDIS },
  ],
  sweep: [CLUSTER_CALLERS],
  onCluster: true,
};

const RAW_NODE_REDIS = 'raw node-redis cluster';
const OURS_NODE_REDIS = 'service (node-redis cluster)';

export const clusterGetSetNodeRedis: ThroughputScenario = {
  kind: 'throughput',
  id: 'cluster/get-set/node-redis',
  title: 'GET/SET on a 3-master cluster, node-redis',
  unit: 'ops/s',
  contenders: [
    getSetContender(RAW_NODE_REDIS, 'raw', async (ctx) => {
      const client = await openNodeRedisCluster(ctx);
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.destroy() };
    }),
    getSetContender(OURS_NODE_REDIS, 'ours', async (ctx) => {
      const service = createNodeRedisClusterService({
        nodes: (await ctx.cluster()).urls,
        maxInflight: SWEEP_MAX_INFLIGHT,
      });
      return { get: (k) => service.get(k), set: (k, v) => service.set(k, v), close: () => service.close() };
    }),
  ],
  targets: [{ ours: OURS_NODE_REDIS, theirs: RAW_NODE_REDIS, atLeast: 0.95 }],
  sweep: [CLUSTER_CALLERS],
  onCluster: true,
};
