import {
  ConnectionKeepAlive,
  type DriverMessage,
  type DriverSubscription,
  RedisCapabilityError,
  type RedisError,
  RedisTimeoutError,
  SubscriberRegistry,
} from '@redis-service/core';
import { LastConnectionError } from '@redis-service/core/adapter';
import { mapConnectError, mapNodeRedisError } from './map-error.js';
import type { NodeRedisClient } from './node-redis-client.js';

/** The longest pause between two reconnect attempts of the subscriber connection, in milliseconds. */
export const SUBSCRIBER_MAX_RECONNECT_DELAY_MS = 400;

type PubSubListener = (message: string, channel: string) => unknown;

/** The part of a node-redis client the subscriber connection uses. */
interface PubSubClient {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  ping(): Promise<unknown>;
  subscribe(channel: string, listener: PubSubListener): Promise<void>;
  pSubscribe(pattern: string, listener: PubSubListener): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  pUnsubscribe(pattern: string): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  on(event: 'error' | 'ready', listener: (...args: any[]) => void): unknown;
}

/** A node-redis client that can be duplicated (every `createClient()` client can). */
interface DuplicableClient {
  duplicate(overrides?: object): PubSubClient;
  readonly options?: { readonly socket?: unknown } | undefined;
}

/** How the subscriber connection's calls are bounded and the connection watched. */
export interface NodeRedisSubscriberOptions {
  /** `host:port`, for messages. */
  readonly endpoint: string;
  /**
   * How long SUBSCRIBE, UNSUBSCRIBE (and their pattern forms) and a keep-alive PING may wait for
   * their answer (ms); `0`: no bound.
   */
  readonly commandTimeoutMs: number;
  /** Ping the connection after this long without receiving anything (ms); `0`: never. */
  readonly pingIntervalMs: number;
}

/** Milliseconds before reconnect attempt `retries` (0-based) of the subscriber: 50, 100, 200, then 400. */
export function subscriberReconnectDelay(retries: number): number {
  return Math.min(50 * 2 ** retries, SUBSCRIBER_MAX_RECONNECT_DELAY_MS);
}

/**
 * The subscriber side of a node-redis driver: one dedicated connection (`client.duplicate()`, so
 * the same RESP version and options), opened on the first subscription and shared by all of them
 * through core's `SubscriberRegistry`.
 *
 * The driver's own client has `reconnectStrategy: false` (it connects again lazily, on the next
 * command); a subscriber has no next command, so its connection gets a reconnect strategy of its
 * own: once it has been ready, a lost connection is retried after 50 ms, doubling to at most
 * `SUBSCRIBER_MAX_RECONNECT_DELAY_MS` between attempts, for as long as the driver is open, and
 * node-redis subscribes to every channel and pattern again when it is back. A first connect that
 * fails is not retried: the subscribe call rejects with `RedisConnectionError` at once.
 *
 * Every call on the connection is bounded by the command timeout, so `unsubscribe()` settles
 * even on a dead connection. A subscriber receives nothing while nobody publishes, so a half-open
 * connection would go silent for good: core's `ConnectionKeepAlive` pings it after
 * `pingIntervalMs` without traffic, and when a ping gets no answer the connection is destroyed
 * and replaced by a new one on which every name is subscribed again (node-redis keeps no
 * subscriptions across a `destroy()`).
 */
export class NodeRedisSubscriber {
  readonly #parent: NodeRedisClient;
  readonly #endpoint: string;
  readonly #options: NodeRedisSubscriberOptions;
  readonly #registry: SubscriberRegistry;
  #client: Promise<PubSubClient> | undefined;
  #open: PubSubClient | undefined;
  #keepAlive: ConnectionKeepAlive | undefined;
  #connectionErrors: LastConnectionError | undefined;
  #closed = false;

  constructor(parent: NodeRedisClient, options: NodeRedisSubscriberOptions) {
    this.#parent = parent;
    this.#endpoint = options.endpoint;
    this.#options = options;
    this.#registry = new SubscriberRegistry({
      subscribe: async (kind, name) => {
        const client = await this.#connection();
        const deliver: PubSubListener =
          kind === 'channel'
            ? (message, channel) => this.#deliver({ channel, message })
            : (message, channel) => this.#deliver({ channel, pattern: name, message });
        await this.#command(client, () =>
          kind === 'channel' ? client.subscribe(name, deliver) : client.pSubscribe(name, deliver),
        );
      },
      unsubscribe: async (kind, name) => {
        const client = this.#open;
        if (!client || this.#closed) return;
        await this.#command(client, () =>
          kind === 'channel' ? client.unsubscribe(name) : client.pUnsubscribe(name),
        );
      },
    });
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage);
  }

  /** Drops every subscription and destroys the subscriber connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#registry.clear();
    this.#keepAlive?.stop();
    const client = this.#open;
    this.#open = undefined;
    try {
      client?.destroy();
    } catch {
      // Already torn down.
    }
  }

  #deliver(message: DriverMessage): void {
    this.#keepAlive?.received();
    this.#registry.deliver(message);
  }

  /**
   * Runs one call on `client`, bounded by the command timeout, with its errors mapped. A call
   * that gets no answer in time has the connection replaced: it is most likely dead, and a late
   * SUBSCRIBE completing on it would leave node-redis a listener nobody knows about.
   */
  async #command<T>(client: PubSubClient, run: () => Promise<T>): Promise<T> {
    const { commandTimeoutMs } = this.#options;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bounded = new Promise<never>((_, reject) => {
      if (commandTimeoutMs <= 0) return;
      timer = setTimeout(
        () =>
          reject(
            new RedisTimeoutError(
              `redis at ${this.#endpoint}: the subscriber connection gave no answer within ${commandTimeoutMs} ms`,
              commandTimeoutMs,
            ),
          ),
        commandTimeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([run(), bounded]);
    } catch (error) {
      if (error instanceof RedisTimeoutError) this.#replace(client);
      throw this.#mapError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The connection gave no answer to a ping: it is replaced, and every name subscribed again on the new one. */
  #replace(client: PubSubClient): void {
    if (this.#closed || this.#open !== client) return;
    this.#open = undefined;
    this.#client = undefined;
    this.#keepAlive?.stop();
    this.#keepAlive = undefined;
    try {
      client.destroy();
    } catch {
      // Already torn down.
    }
    this.#registry.connectionReplaced();
    void this.#resubscribe();
  }

  /** Subscribes every name again, retrying (50 ms, doubling to 400 ms) until it worked or the subscriber closed. */
  async #resubscribe(): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        await this.#registry.resubscribe();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, subscriberReconnectDelay(attempt)).unref());
      }
    }
  }

  #mapError(error: unknown): RedisError {
    return mapNodeRedisError(error, {
      endpoint: this.#endpoint,
      lastConnectionError: this.#connectionErrors?.error,
      closed: this.#closed,
    });
  }

  #connection(): Promise<PubSubClient> {
    this.#client ??= this.#connect().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #connect(): Promise<PubSubClient> {
    const parent = this.#parent as NodeRedisClient & Partial<DuplicableClient>;
    if (typeof parent.duplicate !== 'function') {
      throw new RedisCapabilityError(
        'pubsub',
        'node-redis',
        'subscribing with a client that cannot duplicate()',
      );
    }
    let everReady = false;
    const socket = (parent.options?.socket ?? {}) as object;
    const client = parent.duplicate({
      socket: {
        ...socket,
        // Only a connection that has worked is worth retrying; a first attempt fails the caller now.
        reconnectStrategy: (retries: number, cause: Error) =>
          everReady && !this.#closed ? subscriberReconnectDelay(retries) : cause,
      },
    });
    this.#connectionErrors = new LastConnectionError(client);
    client.on('ready', () => {
      everReady = true;
    });
    try {
      await client.connect();
    } catch (error) {
      try {
        client.destroy();
      } catch {
        // Never opened.
      }
      throw mapConnectError(error, this.#endpoint);
    }
    if (this.#closed) {
      client.destroy();
      throw this.#mapError(new Error('closed'));
    }
    this.#open = client;
    this.#keepAlive = new ConnectionKeepAlive({
      idleMs: this.#options.pingIntervalMs,
      timeoutMs: this.#options.commandTimeoutMs,
      describe: `the subscriber connection to ${this.#endpoint}`,
      ping: () => this.#command(client, () => client.ping()),
      onUnanswered: () => this.#replace(client),
    });
    this.#keepAlive.start();
    return client;
  }
}
