import {
  type DriverMessage,
  type DriverSubscription,
  SubscriberRegistry,
  type SubscriptionKind,
  type SubscriptionTarget,
} from '@redis-service/core';
import type { Cluster } from 'ioredis';

const COMMANDS: Readonly<Record<SubscriptionKind, readonly [subscribe: string, unsubscribe: string]>> = {
  channel: ['subscribe', 'unsubscribe'],
  pattern: ['psubscribe', 'punsubscribe'],
  shard: ['ssubscribe', 'sunsubscribe'],
};

type ClusterPubSub = Record<string, (name: string) => Promise<unknown>>;

/**
 * The subscriber side of an ioredis cluster driver, shared by every subscription through core's
 * `SubscriberRegistry`. Channels and patterns use the cluster's own subscriber connection (one
 * node; PUBLISH reaches every node of a cluster, so any node will do), which ioredis moves to
 * another node and resubscribes when its node goes away. Shard channels use ioredis' sharded
 * subscribers (one connection per master, `shardedSubscribers: true`), which follow a slot to its
 * new master. Messages are decoded as UTF-8 text.
 */
export class IoredisClusterSubscriber {
  readonly #cluster: Cluster;
  readonly #mapError: (error: unknown, command: string) => Error;
  readonly #registry: SubscriberRegistry;
  #listening = false;
  #closed = false;

  constructor(cluster: Cluster, mapError: (error: unknown, command: string) => Error) {
    this.#cluster = cluster;
    this.#mapError = mapError;
    this.#registry = new SubscriberRegistry({
      subscribe: (kind, name) => this.#call(kind, name, 0),
      unsubscribe: (kind, name) => this.#call(kind, name, 1),
    });
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: SubscriptionTarget,
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    this.#listen();
    return this.#registry.add(target, onMessage);
  }

  /** Drops every subscription; the cluster's disconnect closes the connections. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#registry.clear();
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    const registry = this.#registry;
    this.#cluster.on('message', (channel: string, message: string) => registry.deliver({ channel, message }));
    this.#cluster.on('pmessage', (pattern: string, channel: string, message: string) =>
      registry.deliver({ channel, pattern, message }),
    );
    this.#cluster.on('smessage', (channel: string, message: string) =>
      registry.deliver({ channel, message, sharded: true }),
    );
  }

  async #call(kind: SubscriptionKind, name: string, which: 0 | 1): Promise<void> {
    if (this.#closed) return;
    const command = COMMANDS[kind][which];
    try {
      await (this.#cluster as unknown as ClusterPubSub)[command]!(name);
    } catch (error) {
      throw this.#mapError(error, command.toUpperCase());
    }
  }
}
