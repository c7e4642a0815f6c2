import type { ConnectionOptions } from 'node:tls';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  parseSentinels,
  type RedisService,
  type SentinelFactoryOptions,
  type ServiceFactoryOptions,
  serviceOverDriver,
} from '@redis-service/core';
import { checkTimeout } from '@redis-service/core/adapter';
import { Redis, type RedisOptions } from 'ioredis';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  failFastOptions,
  type IoredisClientOptions,
  reconnectDelay,
} from './fail-fast-options.js';
import { IoredisDriver } from './ioredis-driver.js';

/**
 * Options of `createIoredisSentinelDriver`: where the sentinels are and how to reach the data nodes
 * (see `SentinelFactoryOptions`), and more ioredis options.
 */
export interface IoredisSentinelDriverOptions extends SentinelFactoryOptions<ConnectionOptions> {
  /**
   * More ioredis options. They override the fail-fast and failover defaults (see
   * `sentinelFailFastOptions`), so changing `sentinelRetryStrategy`, `failoverDetector`,
   * `maxRetriesPerRequest` or `autoResendUnfulfilledCommands` changes how a failover is handled.
   * `keyPrefix` is not accepted: the service prefixes keys itself.
   */
  readonly clientOptions?: IoredisClientOptions;
  /** Write the commands of one tick as one socket write (see `IoredisDriverOptions.coalesce`). Default true. */
  readonly coalesce?: boolean;
  /** The most commands one coalesced write holds (see `IoredisDriverOptions.maxBatch`). Default 8. */
  readonly maxBatch?: number;
}

/**
 * Options of `createIoredisSentinelService`: the sentinels and data-node settings, and the
 * service's own options (`keyPrefix`, `maxInflight`, `failurePolicy`, `endpointId`).
 */
export interface IoredisSentinelServiceOptions extends IoredisSentinelDriverOptions, ServiceFactoryOptions {}

/** How long one sentinel may take to answer (ms) before the next one is asked. */
const SENTINEL_COMMAND_TIMEOUT_MS = 1000;

/**
 * The ioredis options for a sentinel-managed client, on top of `failFastOptions` (no retry of a
 * command after its connection dropped, no replay after a reconnect, bounded reconnect delays):
 *
 * - `sentinelRetryStrategy: () => null`: one pass over the sentinels per connection attempt. When
 *   none answers (or none names a primary), the commands waiting fail at once with
 *   `RedisConnectionError` (`RedisUnknownMasterError` for a name no sentinel knows), instead of
 *   waiting out their timeout while ioredis retries; the driver starts a new pass on the next
 *   command. While the sentinels answer, a lost primary is retried as usual (50-400 ms), each
 *   attempt asking the sentinels where the primary is now;
 * - `failoverDetector: true`: the client subscribes to `+switch-master` on the sentinels and drops
 *   its connection when the primary moves, instead of writing to a demoted node until the
 *   sentinels disconnect it; `sentinelReconnectStrategy` reconnects those subscriptions within a
 *   few hundred ms instead of ioredis' minute;
 * - `sentinelCommandTimeout`: a sentinel that accepts a connection but does not answer is skipped.
 *
 * A command that met READONLY or MASTERDOWN makes the driver drop the connection and ask again.
 */
export function sentinelFailFastOptions(settings: {
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
}): RedisOptions {
  return {
    ...failFastOptions(settings),
    role: 'master',
    sentinelRetryStrategy: () => null,
    sentinelReconnectStrategy: reconnectDelay,
    sentinelCommandTimeout: SENTINEL_COMMAND_TIMEOUT_MS,
    failoverDetector: true,
  };
}

/**
 * Builds an ioredis client that finds the primary through sentinels (with `sentinelFailFastOptions`)
 * and the driver over it. The client connects at once. Closing the driver disconnects it.
 *
 * @throws RedisValidationError when the sentinel list, the master name or a timeout is not valid
 *   (before anything connects; messages never show a password)
 */
export function createIoredisSentinelDriver(options: IoredisSentinelDriverOptions): IoredisDriver {
  const { nodes, tls, masterName } = parseSentinels(options);
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
  const sentinelTls = tlsOptions(options.sentinelTls ?? tls);
  const dataTls = tlsOptions(options.tls ?? false);
  const client = new Redis({
    ...sentinelFailFastOptions({ commandTimeoutMs, connectTimeoutMs }),
    sentinels: nodes.map(({ host, port }) => ({ host, port })),
    name: masterName,
    ...(options.sentinelUsername === undefined ? {} : { sentinelUsername: options.sentinelUsername }),
    ...(options.sentinelPassword === undefined ? {} : { sentinelPassword: options.sentinelPassword }),
    ...(sentinelTls === undefined ? {} : { sentinelTLS: sentinelTls }),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(dataTls === undefined ? {} : { tls: dataTls, enableTLSForSentinelMode: true }),
    ...clientOptions,
  });
  return new IoredisDriver(client, {
    ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
  });
}

/**
 * A `RedisService` over ioredis, with the primary found through sentinels and followed across
 * failovers: commands fail fast and typed while there is no primary (`RedisConnectionError`,
 * `RedisUnavailableError` for READONLY), none is sent twice, and the service carries on on the new
 * primary without being recreated. Subscriptions move to the new primary.
 *
 * ```ts
 * await using redis = createIoredisSentinelService({
 *   sentinels: ['redis://10.0.0.1:26379', 'redis://10.0.0.2:26379', 'redis://10.0.0.3:26379'],
 *   masterName: 'orders',
 *   password: process.env.REDIS_PASSWORD,
 * });
 * ```
 */
export function createIoredisSentinelService(options: IoredisSentinelServiceOptions): RedisService {
  const driver = createIoredisSentinelDriver(options);
  return serviceOverDriver(driver, options);
}

function tlsOptions(setting: boolean | ConnectionOptions): ConnectionOptions | undefined {
  if (setting === false) return undefined;
  return setting === true ? {} : setting;
}
