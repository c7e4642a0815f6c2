/**
 * ioredis 6 under `@redis-service/core`: a driver for the port, and factories that build the
 * client with fail-fast options.
 *
 * @packageDocumentation
 */

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
  createIoredisDriver,
  IOREDIS_CAPABILITIES,
  IoredisDriver,
  type IoredisDriverOptions,
} from './ioredis-driver.js';
export { type IoredisErrorContext, mapIoredisError } from './map-error.js';
