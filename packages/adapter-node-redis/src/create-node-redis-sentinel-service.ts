import type { ConnectionOptions } from 'node:tls';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  parseSentinels,
  type RedisService,
  RedisValidationError,
  redactText,
  type SentinelFactoryOptions,
  type ServiceFactoryOptions,
  serviceOverDriver,
} from '@redis-service/core';
import {
  createSentinel,
  type RedisFunctions,
  type RedisModules,
  type RedisScripts,
  type RedisSentinelOptions,
  type RespVersions,
  type TypeMapping,
} from 'redis';
import { checkTimeout } from './check-options.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './fail-fast-options.js';
import type { NodeRedisSentinel } from './node-redis-sentinel.js';
import { NodeRedisSentinelDriver } from './node-redis-sentinel-driver.js';
import { subscriberReconnectDelay } from './node-redis-subscriber.js';

type SentinelOptions = RedisSentinelOptions<
  RedisModules,
  RedisFunctions,
  RedisScripts,
  RespVersions,
  TypeMapping
>;
type NodeClientOptions = NonNullable<SentinelOptions['nodeClientOptions']>;

/**
 * Options of `createNodeRedisSentinelDriver`: where the sentinels are and how to reach the data
 * nodes (see `SentinelFactoryOptions`), and more node-redis sentinel options.
 */
export interface NodeRedisSentinelDriverFromOptions extends SentinelFactoryOptions<ConnectionOptions> {
  /**
   * More node-redis sentinel options (`nodeClientOptions`, `sentinelClientOptions`, `scanInterval`,
   * ...). They override the defaults of `sentinelFailFastOptions` (the client options are merged),
   * so setting `maxCommandRediscovers` or `reserveClient` changes how a failover is handled.
   * `keyPrefix` is not accepted: the service prefixes keys itself.
   */
  readonly sentinelOptions?: Partial<Omit<SentinelOptions, 'name' | 'sentinelRootNodes' | 'keyPrefix'>>;
}

/**
 * Options of `createNodeRedisSentinelService`: the sentinels and data-node settings, and the
 * service's own options (`keyPrefix`, `maxInflight`, `failurePolicy`, `endpointId`).
 */
export interface NodeRedisSentinelServiceOptions
  extends NodeRedisSentinelDriverFromOptions,
    ServiceFactoryOptions {}

/**
 * The node-redis sentinel options the factories use:
 *
 * - `maxCommandRediscovers: 0`: node-redis never sends a command again (it would after the
 *   primary's connection dropped, though the command may have run), and one attempt to find the
 *   primary fails the commands waiting for it, instead of retrying every second for 16 seconds;
 * - `reserveClient: true`, one primary client: every command goes out in the order it was issued;
 * - `RESP: 2`, `disableOfflineQueue` and no node-redis command timer, as for a single server
 *   (`failFastOptions`); a TCP `connectTimeout` for the sentinels and the data nodes;
 * - the data nodes' clients reconnect 50 ms after a loss, doubling to 400 ms: the primary's client
 *   is replaced when node-redis asks the sentinels again, and the pub/sub connection resubscribes.
 */
export function sentinelFailFastOptions(settings: {
  readonly connectTimeoutMs: number;
}): Partial<SentinelOptions> {
  const connectTimeout = settings.connectTimeoutMs > 0 ? { connectTimeout: settings.connectTimeoutMs } : {};
  return {
    RESP: 2,
    maxCommandRediscovers: 0,
    reserveClient: true,
    masterPoolSize: 1,
    replicaPoolSize: 0,
    commandOptions: { timeout: undefined },
    nodeClientOptions: {
      disableOfflineQueue: true,
      maintNotifications: 'disabled',
      socket: { ...connectTimeout, reconnectStrategy: subscriberReconnectDelay },
    },
    sentinelClientOptions: { socket: { ...connectTimeout } },
  };
}

/**
 * Builds a node-redis sentinel (with `sentinelFailFastOptions`) and the driver over it, and starts
 * finding the primary at once. When no sentinel answers, the commands waiting reject with
 * `RedisConnectionError` within milliseconds, and the next command tries again.
 *
 * @throws RedisValidationError when the sentinel list, the master name, a timeout or the node-redis
 *   options are not valid (before anything connects; messages never show a password)
 */
export function createNodeRedisSentinelDriver(
  options: NodeRedisSentinelDriverFromOptions,
): NodeRedisSentinelDriver {
  const { nodes, tls, masterName } = parseSentinels(options);
  const commandTimeoutMs = checkTimeout(
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    'commandTimeoutMs',
  );
  const connectTimeoutMs = checkTimeout(
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    'connectTimeoutMs',
  );
  const defaults = sentinelFailFastOptions({ connectTimeoutMs });
  const { keyPrefix: _ignored, ...given } = (options.sentinelOptions ?? {}) as Partial<SentinelOptions> & {
    keyPrefix?: unknown;
  };
  const nodeClientOptions = mergeClientOptions(defaults.nodeClientOptions, given.nodeClientOptions, {
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.db === undefined ? {} : { database: options.db }),
    ...tlsSocket(options.tls ?? false),
  });
  const sentinelClientOptions = mergeClientOptions(
    defaults.sentinelClientOptions,
    given.sentinelClientOptions,
    {
      ...(options.sentinelUsername === undefined ? {} : { username: options.sentinelUsername }),
      ...(options.sentinelPassword === undefined ? {} : { password: options.sentinelPassword }),
      ...tlsSocket(options.sentinelTls ?? tls),
    },
  );
  let sentinel: NodeRedisSentinel;
  try {
    sentinel = createSentinel({
      ...defaults,
      ...given,
      name: masterName,
      sentinelRootNodes: nodes.map(({ host, port }) => ({ host, port })),
      nodeClientOptions,
      sentinelClientOptions,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisValidationError(`node-redis refused the sentinel options: ${redactText(reason)}`);
  }
  const driver = new NodeRedisSentinelDriver(sentinel, {
    masterName,
    sentinels: nodes.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`),
    commandTimeoutMs,
    connectTimeoutMs,
  });
  // Finding the primary takes a few round trips: start now, so the first command does not wait
  // for all of them. A failure here is the first command's to report (it tries again).
  driver.connect().catch(() => {});
  return driver;
}

/**
 * A `RedisService` over node-redis, with the primary found through sentinels and followed across
 * failovers: commands fail fast and typed while there is no primary, none is sent twice, and the
 * service carries on on the new primary without being recreated. Subscriptions move to the new
 * primary.
 *
 * ```ts
 * await using redis = createNodeRedisSentinelService({
 *   sentinels: ['redis://10.0.0.1:26379', 'redis://10.0.0.2:26379', 'redis://10.0.0.3:26379'],
 *   masterName: 'orders',
 *   password: process.env.REDIS_PASSWORD,
 * });
 * ```
 */
export function createNodeRedisSentinelService(options: NodeRedisSentinelServiceOptions): RedisService {
  const driver = createNodeRedisSentinelDriver(options);
  return serviceOverDriver(driver, options);
}

/** Defaults, then the caller's options, then the factory's own settings; `socket` merged at each step. */
function mergeClientOptions(
  defaults: NodeClientOptions | undefined,
  given: NodeClientOptions | undefined,
  own: NodeClientOptions,
): NodeClientOptions {
  return {
    ...defaults,
    ...given,
    ...own,
    socket: { ...defaults?.socket, ...given?.socket, ...own.socket },
  } as NodeClientOptions;
}

function tlsSocket(setting: boolean | ConnectionOptions): NodeClientOptions {
  if (setting === false) return {};
  return { socket: { tls: true, ...(setting === true ? {} : setting) } } as NodeClientOptions;
}
