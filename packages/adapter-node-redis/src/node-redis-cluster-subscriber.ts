import {
  type DriverMessage,
  type DriverSubscription,
  SubscriberRegistry,
  type SubscriptionKind,
  type SubscriptionTarget,
} from '@redis-service/core';
import type { NodeRedisCluster, NodeRedisPubSubListener } from './node-redis-cluster.js';

/**
 * The subscriber side of a node-redis cluster driver, shared by every subscription through core's
 * `SubscriberRegistry`: one node-redis listener per name. Channels and patterns live on the
 * cluster's pub/sub connection (one node: PUBLISH reaches every node of a cluster), shard channels
 * on a connection to the master of each channel's slot; node-redis moves both when the topology
 * changes and resubscribes. Messages are UTF-8 text.
 */
export class NodeRedisClusterSubscriber {
  readonly #cluster: NodeRedisCluster;
  readonly #mapError: (error: unknown) => Error;
  readonly #whenReady: <T>(start: () => Promise<T>) => Promise<T>;
  readonly #registry: SubscriberRegistry;
  readonly #listeners: Record<SubscriptionKind, Map<string, NodeRedisPubSubListener>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  #closed = false;

  /**
   * @param whenReady runs a call once the cluster is connected (the driver's gate)
   */
  constructor(
    cluster: NodeRedisCluster,
    mapError: (error: unknown) => Error,
    whenReady: <T>(start: () => Promise<T>) => Promise<T>,
  ) {
    this.#cluster = cluster;
    this.#mapError = mapError;
    this.#whenReady = whenReady;
    this.#registry = new SubscriberRegistry({
      subscribe: (kind, name) => this.#subscribe(kind, name),
      unsubscribe: (kind, name) => this.#unsubscribe(kind, name),
    });
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: SubscriptionTarget,
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage);
  }

  /** Drops every subscription; destroying the cluster closes the connections. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#registry.clear();
  }

  async #subscribe(kind: SubscriptionKind, name: string): Promise<void> {
    if (this.#closed) return;
    const registry = this.#registry;
    const listener: NodeRedisPubSubListener =
      kind === 'pattern'
        ? (message, channel) =>
            registry.deliver({ channel: String(channel), pattern: name, message: String(message) })
        : (message, channel) =>
            registry.deliver({
              channel: String(channel),
              message: String(message),
              ...(kind === 'shard' ? { sharded: true } : {}),
            });
    this.#listeners[kind].set(name, listener);
    try {
      await this.#whenReady(() => {
        const cluster = this.#cluster;
        if (kind === 'channel') return cluster.subscribe(name, listener);
        if (kind === 'pattern') return cluster.pSubscribe(name, listener);
        return cluster.sSubscribe(name, listener);
      });
    } catch (error) {
      this.#listeners[kind].delete(name);
      throw this.#mapError(error);
    }
  }

  async #unsubscribe(kind: SubscriptionKind, name: string): Promise<void> {
    const listener = this.#listeners[kind].get(name);
    if (!listener || this.#closed) return;
    this.#listeners[kind].delete(name);
    const cluster = this.#cluster;
    if (kind === 'channel') await cluster.unsubscribe(name, listener);
    else if (kind === 'pattern') await cluster.pUnsubscribe(name, listener);
    else await cluster.sUnsubscribe(name, listener);
  }
}
