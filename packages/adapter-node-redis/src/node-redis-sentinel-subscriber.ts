import {
  type DriverMessage,
  type DriverSubscription,
  type RedisError,
  SubscriberRegistry,
  type SubscriptionKind,
} from '@redis-service/core';
import { isPrimaryMove, type NodeRedisSentinel, type SentinelPubSubListener } from './node-redis-sentinel.js';

/**
 * The subscriber side of a node-redis sentinel driver, on node-redis' own pub/sub connection of the
 * sentinel (which it moves to the new primary on a failover and resubscribes there), shared by all
 * subscriptions through core's `SubscriberRegistry`.
 *
 * node-redis loses the names when a move fails (the new primary refused the connection: the
 * sentinels had not switched yet) and does not try again on the next move, so on every move of the
 * primary each name is subscribed again, with the same listener (node-redis keeps listeners in a
 * set, and sends nothing for a name its connection already holds). Messages published while no
 * connection holds a name are lost, as Redis pub/sub keeps nothing for absent subscribers.
 */
export class NodeRedisSentinelSubscriber {
  readonly #sentinel: NodeRedisSentinel;
  readonly #mapError: (error: unknown) => RedisError;
  readonly #registry: SubscriberRegistry;
  readonly #whenOpen: () => Promise<void> | undefined;
  // Core refuses shard channels before they reach a driver without `shardedPubsub` (this one).
  readonly #listeners: Record<SubscriptionKind, Map<string, SentinelPubSubListener>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  readonly #onTopology = (event: unknown) => {
    if (isPrimaryMove(event)) this.#resubscribeAll();
  };
  #closed = false;

  /**
   * @param sentinel the driver's sentinel
   * @param mapError maps node-redis' errors onto core's (the driver's own mapping)
   * @param whenOpen the driver's gate: resolves once the sentinel is open
   */
  constructor(
    sentinel: NodeRedisSentinel,
    mapError: (error: unknown) => RedisError,
    whenOpen: () => Promise<void> | undefined,
  ) {
    this.#sentinel = sentinel;
    this.#whenOpen = whenOpen;
    this.#mapError = mapError;
    this.#registry = new SubscriberRegistry({
      subscribe: (kind, name) => this.#subscribe(kind, name),
      unsubscribe: (kind, name) => this.#unsubscribe(kind, name),
    });
    sentinel.on('topology-change', this.#onTopology);
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage);
  }

  /** Drops every subscription; the sentinel's pub/sub connection goes with the sentinel. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sentinel.off('topology-change', this.#onTopology);
    this.#registry.clear();
    this.#listeners.channel.clear();
    this.#listeners.pattern.clear();
  }

  async #subscribe(kind: SubscriptionKind, name: string): Promise<void> {
    if (this.#closed) return;
    const listener: SentinelPubSubListener =
      kind === 'channel'
        ? (message, channel) => this.#registry.deliver({ channel: String(channel), message: String(message) })
        : (message, channel) =>
            this.#registry.deliver({ channel: String(channel), pattern: name, message: String(message) });
    try {
      await this.#whenOpen();
      await this.#call(kind, name, listener);
    } catch (error) {
      throw this.#mapError(error);
    }
    this.#listeners[kind].set(name, listener);
  }

  async #unsubscribe(kind: SubscriptionKind, name: string): Promise<void> {
    const listener = this.#listeners[kind].get(name);
    this.#listeners[kind].delete(name);
    if (listener === undefined || this.#closed || !this.#sentinel.isOpen) return;
    try {
      await (kind === 'channel'
        ? this.#sentinel.unsubscribe(name, listener)
        : this.#sentinel.pUnsubscribe(name, listener));
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  #call(kind: SubscriptionKind, name: string, listener: SentinelPubSubListener): Promise<unknown> {
    return kind === 'channel'
      ? this.#sentinel.subscribe(name, listener)
      : this.#sentinel.pSubscribe(name, listener);
  }

  #resubscribeAll(): void {
    if (this.#closed) return;
    for (const kind of ['channel', 'pattern'] as const) {
      for (const [name, listener] of this.#listeners[kind]) {
        // A move that fails is followed by another move (the sentinels switch), which tries again.
        this.#call(kind, name, listener).catch(() => {});
      }
    }
  }
}
