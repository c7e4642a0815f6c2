import {
  type DriverMessage,
  type DriverSubscription,
  type InterruptionListener,
  type RedisError,
  SubscriberRegistry,
  type SubscriptionKind,
} from '@redis-service/core';
import { isPrimaryMove, type NodeRedisSentinel, type SentinelPubSubListener } from './node-redis-sentinel.js';
import { subscriberReconnectDelay } from './node-redis-subscriber.js';

/** The channel a probe subscribes to (a fresh name each time, so node-redis always sends the SUBSCRIBE). */
const PROBE_CHANNEL_PREFIX = '__redis-service:sentinel-subscriber-probe:';

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
 *
 * Subscriptions that ask are told of every interruption (`RedisDriver.subscribe`). node-redis keeps
 * its pub/sub client private, but that client's errors (a dropped socket among them) are the only
 * data-node errors the sentinel emits as `error` (the others go to `client-error`), and a move of
 * the primary replaces the client: either reports `'lost'` (an unrelated sentinel error may report
 * a loss that was none, which only costs a listener a needless flush). `'restored'` follows once
 * every name is subscribed again and a probe SUBSCRIBE of a fresh channel was confirmed on the
 * client: it is written after node-redis' own resubscribe commands, so its answer comes after
 * theirs. The probe is retried (50 ms, doubling to 400 ms) while the client is offline.
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
    if (!isPrimaryMove(event)) return;
    this.#lost();
    this.#resubscribeAll();
  };
  readonly #onError = () => this.#lost();
  #closed = false;
  // Between a possible gap in delivery and the moment every name is confirmed subscribed again.
  #interrupted = false;
  // Counts the losses, so a probe that started before a later loss cannot report it restored.
  #losses = 0;
  #probes = 0;
  readonly #probeId = Math.random().toString(36).slice(2);

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
    sentinel.on('error', this.#onError);
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
    onInterruption?: InterruptionListener,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage, onInterruption);
  }

  /** Drops every subscription; the sentinel's pub/sub connection goes with the sentinel. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sentinel.off('topology-change', this.#onTopology);
    this.#sentinel.off('error', this.#onError);
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

  #hasNames(): boolean {
    return this.#listeners.channel.size > 0 || this.#listeners.pattern.size > 0;
  }

  /** Messages may be missed from now on: the subscriptions that asked are told, once; then it is probed back. */
  #lost(): void {
    if (this.#closed || !this.#hasNames()) return;
    this.#losses++;
    if (this.#interrupted) return;
    this.#interrupted = true;
    this.#registry.interrupted('lost');
    void this.#probeUntilRestored();
  }

  /** Probes the pub/sub client until a probe started after the last loss is confirmed, or the subscriber closed. */
  async #probeUntilRestored(): Promise<void> {
    for (let attempt = 0; !this.#closed && this.#interrupted; attempt++) {
      const losses = this.#losses;
      if (await this.#probe()) {
        if (this.#closed || !this.#interrupted || losses !== this.#losses) continue;
        this.#interrupted = false;
        this.#registry.interrupted('restored');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, subscriberReconnectDelay(attempt)).unref());
    }
  }

  /** One SUBSCRIBE of a fresh channel (then UNSUBSCRIBE): whether the pub/sub client confirmed it. */
  async #probe(): Promise<boolean> {
    const channel = `${PROBE_CHANNEL_PREFIX}${this.#probeId}:${++this.#probes}`;
    const ignore: SentinelPubSubListener = () => {};
    try {
      await this.#sentinel.subscribe(channel, ignore);
    } catch {
      return false;
    }
    this.#sentinel.unsubscribe(channel, ignore).catch(() => {});
    return true;
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
