import type { DriverMessage, DriverSubscription, SubscriptionTarget } from '../port/driver.js';

/** Whether a subscription names a channel exactly, a glob pattern, or a shard channel (SSUBSCRIBE). */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** What `SubscriberRegistry` drives: the adapter's subscriber connection. */
export interface SubscriberConnection {
  /**
   * SUBSCRIBE (`channel`), PSUBSCRIBE (`pattern`) or SSUBSCRIBE (`shard`) one name; resolves once
   * the server confirmed it.
   */
  subscribe(kind: SubscriptionKind, name: string): Promise<void>;
  /** UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE one name. */
  unsubscribe(kind: SubscriptionKind, name: string): Promise<void>;
}

type Listener = (message: DriverMessage) => void;

interface Entry {
  readonly listeners: Set<Listener>;
  /** Whether the server holds the subscription (as far as the registry's own calls go). */
  live: boolean;
  /** Which connection (counted by `connectionReplaced`) the subscription was made on. */
  generation: number;
  /** The subscribe/unsubscribe calls of this name, one after the other. */
  chain: Promise<void>;
}

/**
 * Shares one subscriber connection between any number of driver subscriptions, for adapters: a
 * name is subscribed on the server when its first listener arrives and unsubscribed when its last
 * one leaves (reference counts), and each message is handed to the listeners of its channel or
 * pattern. The calls for one name run one after the other, so a quick unsubscribe/subscribe
 * cannot leave the server out of step. Reconnecting and resubscribing is the connection's job.
 */
export class SubscriberRegistry {
  readonly #connection: SubscriberConnection;
  readonly #entries: Record<SubscriptionKind, Map<string, Entry>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  // Counts the connections replaced under the registry (see `connectionReplaced`).
  #generation = 0;

  constructor(connection: SubscriberConnection) {
    this.#connection = connection;
  }

  /** How many names of `kind` have listeners. */
  size(kind: SubscriptionKind): number {
    return this.#entries[kind].size;
  }

  /**
   * Adds a subscription: resolves when every name is subscribed on the server. When one cannot
   * be, the names already added are released and the error is passed on.
   */
  async add(
    target: SubscriptionTarget,
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    const listener: Listener = (message) => onMessage(message);
    const names: [SubscriptionKind, string][] = [
      ...[...new Set(target.channels ?? [])].map((name): [SubscriptionKind, string] => ['channel', name]),
      ...[...new Set(target.patterns ?? [])].map((name): [SubscriptionKind, string] => ['pattern', name]),
      ...[...new Set(target.shardChannels ?? [])].map((name): [SubscriptionKind, string] => ['shard', name]),
    ];
    const joined = names.map(([kind, name]) => this.#join(kind, name, listener));
    const outcomes = await Promise.allSettled(joined);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    let left: Promise<void> | undefined;
    const leave = () => {
      left ??= Promise.all(names.map(([kind, name]) => this.#leave(kind, name, listener))).then(() => {});
      return left;
    };
    if (failed) {
      await leave();
      throw failed.reason;
    }
    return { unsubscribe: leave };
  }

  /** Hands a message to the listeners of its pattern (when it has one), shard channel or channel. */
  deliver(message: DriverMessage): void {
    const entry =
      message.pattern !== undefined
        ? this.#entries.pattern.get(message.pattern)
        : this.#entries[message.sharded ? 'shard' : 'channel'].get(message.channel);
    if (!entry) return;
    for (const listener of entry.listeners) listener(message);
  }

  /**
   * The adapter replaced its subscriber connection: nothing the old one held is held any more.
   * Follow with `resubscribe()`.
   */
  connectionReplaced(): void {
    this.#generation++;
  }

  /**
   * Subscribes every name that has listeners and is not held by the current connection (see
   * `connectionReplaced`), each after the calls already queued for it. Resolves when all are
   * held; rejects with the first failure, and calling it again tries only the names still missing.
   */
  resubscribe(): Promise<void> {
    const steps: Promise<void>[] = [];
    for (const kind of ['channel', 'pattern'] as const) {
      const entries = this.#entries[kind];
      for (const [name, entry] of entries) {
        const step = entry.chain.then(async () => {
          if (entries.get(name) !== entry || entry.listeners.size === 0) return;
          const generation = this.#generation;
          if (entry.live && entry.generation === generation) return;
          entry.live = false;
          await this.#connection.subscribe(kind, name);
          entry.live = true;
          entry.generation = generation;
        });
        entry.chain = step.catch(() => {});
        steps.push(step);
      }
    }
    return Promise.all(steps).then(() => {});
  }

  /** Forgets every listener at once (the connection is being closed): nothing is delivered after this. */
  clear(): void {
    for (const entries of Object.values(this.#entries)) {
      for (const entry of entries.values()) entry.listeners.clear();
      entries.clear();
    }
  }

  #join(kind: SubscriptionKind, name: string, listener: Listener): Promise<void> {
    const entries = this.#entries[kind];
    let entry = entries.get(name);
    if (!entry) {
      entry = { listeners: new Set(), live: false, generation: this.#generation, chain: Promise.resolve() };
      entries.set(name, entry);
    }
    entry.listeners.add(listener);
    const current = entry;
    const step = current.chain.then(async () => {
      if (current.live || !current.listeners.has(listener)) return;
      const generation = this.#generation;
      await this.#connection.subscribe(kind, name);
      current.live = true;
      current.generation = generation;
    });
    current.chain = step.catch(() => {});
    return step;
  }

  #leave(kind: SubscriptionKind, name: string, listener: Listener): Promise<void> {
    const entries = this.#entries[kind];
    const entry = entries.get(name);
    if (!entry?.listeners.delete(listener)) return Promise.resolve();
    const step = entry.chain.then(async () => {
      if (entry.listeners.size > 0) return;
      if (entries.get(name) === entry) entries.delete(name);
      if (!entry.live) return;
      entry.live = false;
      await this.#connection.unsubscribe(kind, name);
    });
    entry.chain = step.catch(() => {});
    // Best effort: the listener is gone, so nothing more is delivered whatever the server says.
    return step.catch(() => {});
  }
}
