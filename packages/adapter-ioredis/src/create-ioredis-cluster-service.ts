import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisService,
  RedisValidationError,
  type ServiceFactoryOptions,
  serviceOverDriver,
} from '@redis-service/core';
import { Cluster, type ClusterNode } from 'ioredis';
import { clusterFailFastOptions, type IoredisClusterClientOptions } from './cluster-fail-fast-options.js';
import { installClusterSlotsFix } from './cluster-slots-fix.js';
import { checkTimeout, checkUrl } from './create-ioredis-service.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './fail-fast-options.js';
import { IoredisClusterDriver } from './ioredis-cluster-driver.js';

/** Options of `createIoredisClusterDriverFromNodes`. */
export interface IoredisClusterDriverFromNodesOptions {
  /**
   * Seed nodes of the cluster: `redis://[user:password@]host:port` or `rediss://...` (TLS) URLs.
   * Any reachable one is enough to discover the rest. The credentials and TLS of the first seed
   * apply to every node; they are used to connect and never appear in a message.
   */
  readonly nodes?: readonly (string | URL)[];
  /** One seed, when the options are an `EndpointSpec`; `nodes` wins when both are given. */
  readonly url?: string | URL;
  /** Each node's `commandTimeout` (ms): how long one attempt may wait for its reply. `0` disables it. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How long a connection attempt may take, and how long a command waits for a cluster that is not ready (ms). Default 2000. */
  readonly connectTimeoutMs?: number;
  /** Coalesce each node's commands of one tick into one socket write (see `IoredisClusterDriverOptions.coalesce`). Default true. */
  readonly coalesce?: boolean;
  /** The most commands one coalesced write to a node holds (see `IoredisClusterDriverOptions.maxBatch`). Default 128. */
  readonly maxBatch?: number;
  /**
   * More ioredis `Cluster` options (`natMap`, `dnsLookup`, `redisOptions` for TLS settings, ...).
   * They override the fail-fast defaults (`redisOptions` is merged). `keyPrefix` is not accepted:
   * the service prefixes keys itself.
   */
  readonly clusterOptions?: IoredisClusterClientOptions;
}

/**
 * Options of `createIoredisClusterService`. `EndpointSpec` from core fits as it is (with `nodes`,
 * or its `url` as the one seed), so the function can serve as a `RedisClients` factory:
 * `factories: { 'ioredis-cluster': createIoredisClusterService }`.
 */
export interface IoredisClusterServiceOptions
  extends IoredisClusterDriverFromNodesOptions,
    ServiceFactoryOptions {}

/**
 * Builds an ioredis `Cluster` with fail-fast options (see `clusterFailFastOptions`) and the driver
 * over it. The cluster connects at once; commands sent before it is ready wait for that attempt
 * and fail with `RedisConnectionError` if it fails (every seed refused: within milliseconds).
 *
 * @throws RedisValidationError when there is no seed, a seed is not a `redis://` or `rediss://`
 *   URL, or a timeout is not a number >= 0
 */
export function createIoredisClusterDriverFromNodes(
  options: IoredisClusterDriverFromNodesOptions,
): IoredisClusterDriver {
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
  const defaults = clusterFailFastOptions({ commandTimeoutMs, connectTimeoutMs });
  const {
    keyPrefix: _ignored,
    redisOptions,
    ...clusterOptions
  } = (options.clusterOptions ?? {}) as IoredisClusterClientOptions & {
    keyPrefix?: unknown;
  };
  const first = seeds[0]!;
  const credentials = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: { servername: first.hostname } } : {}),
  };
  const { keyPrefix: _nodePrefix, ...nodeOptions } = (redisOptions ?? {}) as typeof redisOptions & {
    keyPrefix?: unknown;
  };
  const startupNodes: ClusterNode[] = seeds.map((seed) => ({
    host: seed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(seed.port || 6379),
  }));
  // Before the cluster is built: it connects (and reads CLUSTER SLOTS) at once.
  installClusterSlotsFix();
  const cluster = new Cluster(startupNodes, {
    ...defaults,
    ...clusterOptions,
    redisOptions: { ...defaults.redisOptions, ...credentials, ...nodeOptions },
  });
  return new IoredisClusterDriver(cluster, {
    connectTimeoutMs,
    ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
  });
}

/**
 * A `RedisService` over an ioredis `Cluster`, with fail-fast defaults: every seed unreachable ->
 * `RedisConnectionError` within milliseconds; a command to a slot whose master is down -> a typed
 * error within the command timeout, and the promoted replica is used once the failover is done.
 * Every typed API keeps its meaning across slots (see the README, "Running on Redis Cluster").
 *
 * ```ts
 * await using redis = createIoredisClusterService({
 *   nodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'],
 *   keyPrefix: 'app:',
 * });
 * await redis.mset({ a: '1', b: '2' }); // one MSET per slot, in parallel
 * ```
 *
 * `commandTimeoutMs` is both the service's deadline and each node's `commandTimeout`.
 */
export function createIoredisClusterService(options: IoredisClusterServiceOptions): RedisService {
  const driver = createIoredisClusterDriverFromNodes(options);
  return serviceOverDriver(driver, options);
}
