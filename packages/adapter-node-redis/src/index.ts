/**
 * node-redis 6 (`redis`) under `@redis-service/core`: a driver for the port, and factories that
 * build the client with fail-fast options and connect it on demand.
 *
 * @packageDocumentation
 */
export {
  clusterFailFastOptions,
  MAX_NODE_RECONNECT_DELAY_MS,
  type NodeRedisClusterClientOptions,
} from './cluster-fail-fast-options.js';
export {
  createNodeRedisClusterDriverFromNodes,
  createNodeRedisClusterService,
  type NodeRedisClusterDriverFromNodesOptions,
  type NodeRedisClusterServiceOptions,
} from './create-node-redis-cluster-service.js';
export {
  createNodeRedisSentinelDriver,
  createNodeRedisSentinelService,
  type NodeRedisSentinelDriverFromOptions,
  type NodeRedisSentinelServiceOptions,
  sentinelFailFastOptions,
} from './create-node-redis-sentinel-service.js';
export { createNodeRedisService, type NodeRedisServiceOptions } from './create-node-redis-service.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  failFastOptions,
  type NodeRedisClientOptions,
} from './fail-fast-options.js';
export { mapConnectError, mapNodeRedisError, type NodeRedisErrorContext } from './map-error.js';
export type { NodeRedisClient } from './node-redis-client.js';
export type {
  NodeRedisCluster,
  NodeRedisClusterNode,
  NodeRedisPubSubListener,
} from './node-redis-cluster.js';
export {
  createNodeRedisClusterDriver,
  NODE_REDIS_CLUSTER_CAPABILITIES,
  NodeRedisClusterDriver,
  type NodeRedisClusterDriverOptions,
} from './node-redis-cluster-driver.js';
export {
  createNodeRedisDriver,
  createNodeRedisDriverFromUrl,
  NODE_REDIS_CAPABILITIES,
  NodeRedisDriver,
  type NodeRedisDriverFromUrlOptions,
  type NodeRedisDriverOptions,
} from './node-redis-driver.js';
export type { NodeRedisSentinel, SentinelPubSubListener } from './node-redis-sentinel.js';
export {
  NodeRedisSentinelDriver,
  type NodeRedisSentinelDriverOptions,
} from './node-redis-sentinel-driver.js';
export { normalizeReply, REPLY_TYPE_MAPPING } from './normalize-reply.js';
