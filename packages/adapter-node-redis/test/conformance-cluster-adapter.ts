import type { AdapterUnderTest } from '@redis-service/conformance';
import { createNodeRedisClusterDriverFromNodes } from '../src/index.js';

/**
 * The node-redis cluster driver as the conformance kit sees it: the kit starts a Redis Cluster (3
 * masters, a replica each) for the integration tier, or uses `REDIS_CLUSTER_URLS`.
 */
export const nodeRedisClusterAdapter: AdapterUnderTest = {
  name: 'node-redis-cluster',
  topology: 'cluster',
  // Worker processes load this TypeScript file through tsx, resolving workspace packages to src.
  worker: {
    module: import.meta.url,
    export: 'nodeRedisClusterAdapter',
    execArgv: ['--import', 'tsx', '--conditions=@redis-service/source'],
  },
  transport: 'resp',
  createDriver: ({ url, nodes, commandTimeoutMs }) =>
    createNodeRedisClusterDriverFromNodes({
      nodes: nodes ?? [url],
      ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
    }),
};
