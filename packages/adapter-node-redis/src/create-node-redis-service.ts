import { type RedisService, serviceOverDriver } from '@redis-service/core';
import { createNodeRedisDriverFromUrl, type NodeRedisDriverFromUrlOptions } from './node-redis-driver.js';

/**
 * Options of `createNodeRedisService`. `EndpointSpec` from core fits as it is, so the function can
 * serve as a `RedisClients` factory: `factories: { 'node-redis': createNodeRedisService }`.
 */
export interface NodeRedisServiceOptions extends NodeRedisDriverFromUrlOptions {
  /** The most commands in flight at once; a batch counts as one. Default 64. */
  readonly maxInflight?: number;
  /** How long a caller may wait for an inflight permit (ms); see `RedisServiceOptions`. Default: `commandTimeoutMs`. */
  readonly queueTimeoutMs?: number;
  /** Prepended to every key the service touches. */
  readonly keyPrefix?: string;
  /** The endpoint's name in messages. Default: `id`, else `node-redis`. */
  readonly endpointId?: string;
  /** The endpoint id, when the options are an `EndpointSpec`. */
  readonly id?: string;
}

/**
 * A `RedisService` over node-redis, with fail-fast connection defaults: a command to an
 * unreachable endpoint rejects with `RedisConnectionError` within milliseconds, one to a server
 * that never answers with `RedisTimeoutError` after `commandTimeoutMs`. The service is returned at
 * once; the client connects on the first command (and again after a lost connection).
 *
 * ```ts
 * await using redis = createNodeRedisService({ url: 'redis://127.0.0.1:6379', keyPrefix: 'app:' });
 * await redis.set('greeting', 'hello');
 * ```
 *
 * `commandTimeoutMs` is both the service's deadline and the driver's own.
 */
export function createNodeRedisService(options: NodeRedisServiceOptions): RedisService {
  const driver = createNodeRedisDriverFromUrl(options);
  return serviceOverDriver(driver, options);
}
