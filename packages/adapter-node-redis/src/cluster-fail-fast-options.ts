import type { RedisClusterOptions, RedisFunctions, RedisModules, RedisScripts, RespVersions } from 'redis';
import type { NodeRedisClientOptions } from './fail-fast-options.js';

type ClusterOptions = RedisClusterOptions<RedisModules, RedisFunctions, RedisScripts, RespVersions>;

/** node-redis cluster options the factories take from `clusterOptions`: not the seeds, not a key prefix. */
export type NodeRedisClusterClientOptions = Omit<ClusterOptions, 'rootNodes' | 'keyPrefix'>;

/** The longest pause between two reconnect attempts of a node connection, in milliseconds. */
export const MAX_NODE_RECONNECT_DELAY_MS = 400;

/**
 * The node-redis cluster options the cluster factories use, so that a dead cluster fails a command
 * within milliseconds and a failover costs a few failed calls, not a hang:
 *
 * - `RESP: 2` for the cluster and every node: replies exact without guesswork;
 * - node connections: `disableOfflineQueue` (a command to a node that is reconnecting fails at
 *   once: "the client is offline"), and a reconnect strategy of 50 ms doubling to 400 ms, forever:
 *   a node that comes back is reconnected to, and while one reconnects node-redis refreshes its
 *   topology, which is how it learns of a promoted replica;
 * - `topologyRefreshOnReconnectionAttemptStrategy: 200`: that refresh 200 ms after a node starts
 *   reconnecting, and every 200 ms while it does (node-redis' default waits 5 s);
 * - discovery itself tries each seed once (node-redis' own behaviour), so unreachable seeds fail
 *   `connect()` at once; the driver connects again on the next command;
 * - `commandOptions.timeout: undefined`, for the cluster and every node: no node-redis timer per
 *   command (node-redis otherwise gives every command a 5 s `AbortSignal.timeout`, which only
 *   bounds the wait to be written, and costs a timer, a signal and two listeners per command:
 *   about half the CPU of a GET); the driver's own command timeout covers the whole wait for the
 *   reply.
 *
 * `clusterOptions` override these (`defaults` and its `socket` are merged; `commandOptions` replaces
 * this one).
 */
export function clusterFailFastOptions(settings: {
  readonly connectTimeoutMs: number;
  readonly defaults?: NodeRedisClientOptions | undefined;
}): Omit<ClusterOptions, 'rootNodes'> {
  const { socket, ...rest } = settings.defaults ?? {};
  return {
    RESP: 2,
    topologyRefreshOnReconnectionAttemptStrategy: 200,
    maxCommandRedirections: 16,
    commandOptions: { timeout: undefined },
    defaults: {
      RESP: 2,
      disableOfflineQueue: true,
      maintNotifications: 'disabled',
      commandOptions: { timeout: undefined },
      ...rest,
      socket: {
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, MAX_NODE_RECONNECT_DELAY_MS),
        ...(settings.connectTimeoutMs > 0 ? { connectTimeout: settings.connectTimeoutMs } : {}),
        ...(socket as object | undefined),
      },
    } as NodeRedisClientOptions,
  };
}
