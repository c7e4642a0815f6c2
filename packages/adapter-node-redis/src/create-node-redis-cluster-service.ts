import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisService,
  RedisValidationError,
  type ServiceFactoryOptions,
  serviceOverDriver,
} from '@redis-service/core';
import { createCluster } from 'redis';
import { checkTimeout, checkUrl } from './check-options.js';
import { clusterFailFastOptions, type NodeRedisClusterClientOptions } from './cluster-fail-fast-options.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type NodeRedisClientOptions } from './fail-fast-options.js';
import { NodeRedisClusterDriver } from './node-redis-cluster-driver.js';

/** Options of `createNodeRedisClusterDriverFromNodes`. */
export interface NodeRedisClusterDriverFromNodesOptions {
  /**
   * Seed nodes of the cluster: `redis://[user:password@]host:port` or `rediss://...` (TLS) URLs.
   * Any reachable one is enough to discover the rest. The credentials and TLS of the first seed
   * apply to every node (node-redis does not carry a seed's settings over to the nodes it
   * discovers); they are used to connect and never appear in a message.
   */
  readonly nodes?: readonly (string | URL)[];
  /** One seed, when the options are an `EndpointSpec`; `nodes` wins when both are given. */
  readonly url?: string | URL;
  /** The driver's command timeout (ms), redirections included. `0` disables it. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How long a connect attempt or a discovery may take (ms). Default 2000. */
  readonly connectTimeoutMs?: number;
  /**
   * More node-redis cluster options (`nodeAddressMap`, `defaults` for TLS settings, ...). They
   * override the fail-fast defaults of `clusterFailFastOptions` (`defaults` and its `socket` are
   * merged).
   */
  readonly clusterOptions?: NodeRedisClusterClientOptions;
}

/**
 * Options of `createNodeRedisClusterService`. `EndpointSpec` from core fits as it is (with `nodes`,
 * or its `url` as the one seed).
 */
export interface NodeRedisClusterServiceOptions
  extends NodeRedisClusterDriverFromNodesOptions,
    ServiceFactoryOptions {}

/**
 * Builds a node-redis cluster with fail-fast options (see `clusterFailFastOptions`) and the driver
 * over it. Nothing connects until the first command; then every seed unreachable ->
 * `RedisConnectionError` within milliseconds.
 *
 * @throws RedisValidationError when there is no seed, a seed is not a redis URL, or a timeout is
 *   not a number >= 0
 */
export function createNodeRedisClusterDriverFromNodes(
  options: NodeRedisClusterDriverFromNodesOptions,
): NodeRedisClusterDriver {
  const seeds = (options.nodes ?? (options.url === undefined ? [] : [options.url])).map(
    (seed) => new URL(checkUrl(seed)),
  );
  if (seeds.length === 0) throw new RedisValidationError('a redis cluster needs at least one seed node URL');
  const commandTimeoutMs = checkTimeout(
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    'commandTimeoutMs',
  );
  const connectTimeoutMs = checkTimeout(
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    'connectTimeoutMs',
  );
  const {
    defaults: userDefaults,
    keyPrefix: _ignored,
    ...clusterOptions
  } = (options.clusterOptions ?? {}) as NodeRedisClusterClientOptions & { keyPrefix?: unknown };
  const first = seeds[0]!;
  const credentials: NodeRedisClientOptions = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
  };
  const tls = first.protocol === 'rediss:' ? { tls: true as const, servername: first.hostname } : {};
  const base = clusterFailFastOptions({
    connectTimeoutMs,
    defaults: { ...credentials, ...(userDefaults as NodeRedisClientOptions | undefined) },
  });
  const cluster = createCluster({
    ...base,
    ...clusterOptions,
    defaults: {
      ...base.defaults,
      socket: { ...tls, ...(base.defaults?.socket as object | undefined) },
    } as NodeRedisClientOptions,
    rootNodes: seeds.map((seed) => ({
      socket: { host: seed.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(seed.port || 6379), ...tls },
    })),
  });
  return new NodeRedisClusterDriver(cluster, {
    commandTimeoutMs,
    connectTimeoutMs,
  });
}

/**
 * A `RedisService` over a node-redis cluster, with fail-fast defaults: every seed unreachable ->
 * `RedisConnectionError` within milliseconds; a command to a slot whose master is down -> a typed
 * error within the command timeout, and the promoted replica is used once node-redis sees it.
 * Every typed API keeps its meaning across slots (see the README, "Running on Redis Cluster").
 *
 * ```ts
 * await using redis = createNodeRedisClusterService({ nodes: ['redis://10.0.0.1:7000'], keyPrefix: 'app:' });
 * ```
 */
export function createNodeRedisClusterService(options: NodeRedisClusterServiceOptions): RedisService {
  const driver = createNodeRedisClusterDriverFromNodes(options);
  return serviceOverDriver(driver, options);
}
