/**
 * ioredis 6 under `@redis-service/core`: a driver for the port, and factories that build the
 * client with fail-fast options.
 *
 * @packageDocumentation
 */

export { clusterFailFastOptions, type IoredisClusterClientOptions } from './cluster-fail-fast-options.js';
export {
  createIoredisClusterDriverFromNodes,
  createIoredisClusterService,
  type IoredisClusterDriverFromNodesOptions,
  type IoredisClusterServiceOptions,
} from './create-ioredis-cluster-service.js';
export {
  createIoredisSentinelDriver,
  createIoredisSentinelService,
  type IoredisSentinelDriverOptions,
  type IoredisSentinelServiceOptions,
  sentinelFailFastOptions,
} from './create-ioredis-sentinel-service.js';
export {
  createIoredisDriverFromUrl,
  createIoredisService,
  type IoredisDriverFromUrlOptions,
  type IoredisServiceOptions,
} from './create-ioredis-service.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  failFastOptions,
  type IoredisClientOptions,
  MAX_RECONNECT_DELAY_MS,
  reconnectDelay,
} from './fail-fast-options.js';
export {
  createIoredisClusterDriver,
  IOREDIS_CLUSTER_CAPABILITIES,
  IoredisClusterDriver,
  type IoredisClusterDriverOptions,
} from './ioredis-cluster-driver.js';
export {
  createIoredisDriver,
  IOREDIS_CAPABILITIES,
  IoredisDriver,
  type IoredisDriverOptions,
} from './ioredis-driver.js';
export { type IoredisErrorContext, mapIoredisError } from './map-error.js';
