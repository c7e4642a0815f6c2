import {
  NODE_REDIS_DEFAULT_COMMAND_TIMEOUT_MS,
  type NodeRedisClient,
  type NodeRedisCommandOptions,
} from './node-redis-client.js';

/** One node of a node-redis cluster's topology, as `cluster.masters` and `cluster.nodeByAddress` hold it. */
export interface NodeRedisClusterNode {
  /** `host:port` */
  readonly address: string;
}

/**
 * A node-redis pub/sub listener: the message, then the channel it came on. Typed with `Buffer` as
 * node-redis types it (text unless a buffer mode is asked for): with `string` only, a cluster from
 * `createCluster()` would not fit `NodeRedisCluster` under `strictFunctionTypes`.
 */
export type NodeRedisPubSubListener = (message: string | Buffer, channel: string | Buffer) => unknown;

/**
 * The part of a node-redis cluster (`createCluster()` from `redis` 6) the cluster driver uses. Any
 * `RedisClusterType`, whatever its modules, scripts, protocol or type mapping, fits.
 */
export interface NodeRedisCluster {
  /** Discovery has started (connected, or connecting). */
  readonly isOpen: boolean;
  /** The topology is known and the node connections are up. */
  readonly isReady: boolean;
  /** The masters of the topology the cluster knows now. */
  readonly masters: readonly NodeRedisClusterNode[];
  /** The shard of every hash slot (its index): `master` serves the slot. Empty before discovery. */
  readonly slots: readonly ({ readonly master: NodeRedisClusterNode } | undefined)[];
  /** Every known node by `host:port`. */
  readonly nodeByAddress: ReadonlyMap<string, NodeRedisClusterNode>;
  /** The options it was built with, where a cluster exposes them; the seeds' addresses are shown in messages. */
  readonly options?: { readonly rootNodes?: readonly NodeRedisRootNode[] } | undefined;
  /**
   * The options as node-redis 6 keeps them (it has no public `options`): the seeds, and the
   * `commandOptions` its cluster routing puts on every command.
   */
  readonly _options?:
    | {
        readonly rootNodes?: readonly NodeRedisRootNode[];
        readonly commandOptions?: { readonly timeout?: number | undefined } | undefined;
      }
    | undefined;
  connect(): Promise<unknown>;
  destroy(): void;
  /** Sends a command to the master of `firstKey`'s slot (any node without one), following MOVED and ASK. */
  sendCommand(
    firstKey: string | Buffer | undefined,
    isReadonly: boolean | undefined,
    args: readonly (string | Buffer)[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
  /** The connected client of one node. */
  nodeClient(node: NodeRedisClusterNode): Promise<NodeRedisClient>;
  /** The connected client of the master of `key`'s slot. */
  getNodeClientForKey(key: string | Buffer, isReadonly?: boolean): Promise<NodeRedisClient>;
  subscribe(channel: string, listener: NodeRedisPubSubListener): Promise<unknown>;
  unsubscribe(channel: string, listener: NodeRedisPubSubListener): Promise<unknown>;
  pSubscribe(pattern: string, listener: NodeRedisPubSubListener): Promise<unknown>;
  pUnsubscribe(pattern: string, listener: NodeRedisPubSubListener): Promise<unknown>;
  sSubscribe(channel: string, listener: NodeRedisPubSubListener): Promise<unknown>;
  sUnsubscribe(channel: string, listener: NodeRedisPubSubListener): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** One seed of a node-redis cluster: a URL or socket options. */
export interface NodeRedisRootNode {
  readonly url?: string;
  readonly socket?: unknown;
}

/** The seeds a cluster was given, for messages: `host:port` only, never credentials. */
export function describeSeeds(cluster: NodeRedisCluster): string {
  const roots = cluster.options?.rootNodes ?? cluster._options?.rootNodes ?? [];
  const shown = roots.slice(0, 3).map((root) => {
    const socket = (root.socket ?? {}) as { host?: unknown; port?: unknown };
    if (typeof socket.host === 'string')
      return `${socket.host}:${typeof socket.port === 'number' ? socket.port : 6379}`;
    try {
      const url = new URL(root.url ?? '');
      return `${url.hostname}:${url.port || 6379}`;
    } catch {
      return 'a seed';
    }
  });
  const more = roots.length > 3 ? ` and ${roots.length - 3} more` : '';
  return `${shown.join(', ') || 'no seeds'}${more}`;
}

/**
 * The write timeout (ms) node-redis' cluster routing gives every command: its `commandOptions`'
 * `timeout`, node-redis' default 5000 when not given at all (`clusterFailFastOptions`: none).
 * Commands the driver sends to a node's client itself get the same.
 */
export function clusterWriteTimeout(cluster: NodeRedisCluster): number | undefined {
  const commandOptions = cluster._options?.commandOptions;
  return commandOptions !== undefined && 'timeout' in commandOptions
    ? commandOptions.timeout
    : NODE_REDIS_DEFAULT_COMMAND_TIMEOUT_MS;
}
