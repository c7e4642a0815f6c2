import { type RedisService, type ServiceFactoryOptions, serviceOverDriver } from '@redis-service/core';
import { createNodeRedisDriverFromUrl, type NodeRedisDriverFromUrlOptions } from './node-redis-driver.js';

/**
 * Options of `createNodeRedisService`: the connection (`url`, timeouts, `clientOptions`) and the
 * service's own options (`keyPrefix`, `maxInflight`, `failurePolicy`, `endpointId`; see
 * `RedisServiceOptions`). `EndpointSpec` from core fits as it is, so the function can serve as a
 * `RedisClients` factory: `factories: { 'node-redis': createNodeRedisService }`.
 */
export interface NodeRedisServiceOptions extends NodeRedisDriverFromUrlOptions, ServiceFactoryOptions {}

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
