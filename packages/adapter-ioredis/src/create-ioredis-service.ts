import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisService,
  type ServiceFactoryOptions,
  serviceOverDriver,
} from '@redis-service/core';
import { checkRedisUrl, checkTimeout } from '@redis-service/core/adapter';
import { Redis } from 'ioredis';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  failFastOptions,
  type IoredisClientOptions,
} from './fail-fast-options.js';
import { IoredisDriver } from './ioredis-driver.js';

/** Options of `createIoredisDriverFromUrl`. */
export interface IoredisDriverFromUrlOptions {
  /**
   * `redis://[user:password@]host[:port][/db]` or `rediss://...` (TLS). A `URL` object works too.
   * The password is used to connect and never appears in a message.
   */
  readonly url: string | URL;
  /** ioredis' `commandTimeout`: how long a command may wait for its reply (ms). `0` disables it. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How long a connection attempt may take (ms). Default 2000. */
  readonly connectTimeoutMs?: number;
  /**
   * More ioredis options (TLS settings, `db`, `connectionName`, ...). They override the fail-fast
   * defaults, so changing `maxRetriesPerRequest`, `retryStrategy` or `enableOfflineQueue` changes
   * how fast a dead endpoint fails. `keyPrefix` is not accepted: the service prefixes keys itself.
   */
  readonly clientOptions?: IoredisClientOptions;
  /** Coalesce the commands of one tick into few socket writes (see `IoredisDriverOptions.coalesce`). Default true. */
  readonly coalesce?: boolean;
  /** The most commands one coalesced write holds (see `IoredisDriverOptions.maxBatch`). Default 128. */
  readonly maxBatch?: number;
  /**
   * Ping the subscriber connection after this long without traffic (ms), replacing it when the
   * ping goes unanswered (see `IoredisDriverOptions.subscriberPingIntervalMs`). Default:
   * `commandTimeoutMs`. `0` never pings.
   */
  readonly subscriberPingIntervalMs?: number;
}

/**
 * Options of `createIoredisService`: the connection (`url`, timeouts, `clientOptions`) and the
 * service's own options (`keyPrefix`, `maxInflight`, `failurePolicy`, `endpointId`; see
 * `RedisServiceOptions`). `EndpointSpec` from core fits as it is, so the function can serve as a
 * `RedisClients` factory: `factories: { ioredis: createIoredisService }`.
 */
export interface IoredisServiceOptions extends IoredisDriverFromUrlOptions, ServiceFactoryOptions {}

/**
 * Builds an ioredis client with fail-fast options (see `failFastOptions`) and the driver over it.
 * The client connects at once; commands sent before it is ready wait for it. Closing the driver
 * disconnects the client.
 *
 * @throws RedisValidationError when the URL is not a `redis://` or `rediss://` URL (the message
 *   shows it without credentials)
 */
export function createIoredisDriverFromUrl(options: IoredisDriverFromUrlOptions): IoredisDriver {
  const url = checkUrl(options.url);
  const commandTimeoutMs = checkTimeout(
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    'commandTimeoutMs',
  );
  const connectTimeoutMs = checkTimeout(
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    'connectTimeoutMs',
  );
  const { keyPrefix: _ignored, ...clientOptions } = (options.clientOptions ?? {}) as IoredisClientOptions & {
    keyPrefix?: unknown;
  };
  const client = new Redis(url, {
    ...failFastOptions({ commandTimeoutMs, connectTimeoutMs }),
    ...clientOptions,
  });
  return new IoredisDriver(client, {
    ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
    ...(options.subscriberPingIntervalMs === undefined
      ? {}
      : { subscriberPingIntervalMs: options.subscriberPingIntervalMs }),
  });
}

/**
 * A `RedisService` over ioredis, with fail-fast connection defaults: a command to an unreachable
 * endpoint rejects with `RedisConnectionError` within milliseconds, one to a server that never
 * answers with `RedisTimeoutError` after `commandTimeoutMs`.
 *
 * ```ts
 * await using redis = createIoredisService({ url: 'redis://127.0.0.1:6379', keyPrefix: 'app:' });
 * await redis.set('greeting', 'hello');
 * ```
 *
 * `commandTimeoutMs` is both the service's deadline and ioredis' `commandTimeout`.
 */
export function createIoredisService(options: IoredisServiceOptions): RedisService {
  const driver = createIoredisDriverFromUrl(options);
  return serviceOverDriver(driver, options);
}

/** Checks that `url` is a `redis://` or `rediss://` URL and returns it as text (the toolkit's `checkRedisUrl`; shared by the cluster factory). */
export function checkUrl(url: string | URL): string {
  return checkRedisUrl(url);
}

export { checkTimeout };
