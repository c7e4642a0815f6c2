import { ConnectionKeepAlive } from '../health/connection-keep-alive.js';
import type { DriverMessage, DriverSubscription } from '../port/driver.js';
import { SubscriberRegistry } from '../pubsub/subscriber-registry.js';

/**
 * The part of a subscriber client `ResubscribingSubscriber` uses: one that subscribes again by
 * itself after a reconnect and emits each message as an event, as ioredis and its forks
 * (iovalkey) do with `autoResubscribe`.
 */
export interface ResubscribingClient {
  /** SUBSCRIBE to one channel; resolves once the server confirmed it. */
  subscribe(channel: string): Promise<unknown>;
  /** PSUBSCRIBE to one pattern; resolves once the server confirmed it. */
  psubscribe(pattern: string): Promise<unknown>;
  /** UNSUBSCRIBE from one channel. */
  unsubscribe(channel: string): Promise<unknown>;
  /** PUNSUBSCRIBE from one pattern. */
  punsubscribe(pattern: string): Promise<unknown>;
  /** PING on the subscriber connection (the keep-alive). */
  ping(): Promise<unknown>;
  /** A message on a subscribed channel. */
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  /** A message on a channel matching a subscribed pattern. */
  on(event: 'pmessage', listener: (pattern: string, channel: string, message: string) => void): unknown;
  /** The socket: destroying it is a lost connection, which the client reconnects and resubscribes. */
  readonly stream?: { destroy(error?: Error): unknown } | undefined;
}

/** Options of `ResubscribingSubscriber`. */
export interface ResubscribingSubscriberOptions<C extends ResubscribingClient> {
  /**
   * The subscriber connection, asked for by every SUBSCRIBE: the one it gave last, or a new one
   * (opened by the very call that needs it, so that the first SUBSCRIBE can wait for it). A new
   * client is wired up (messages, keep-alive) the first time it is seen.
   */
  connection(): C;
  /** Maps the client's errors onto core's (the driver's own mapping); `command` is e.g. `SUBSCRIBE`. */
  mapError(error: unknown, command: string): Error;
  /** Ping the connection after this long without receiving anything (ms); `0`: never. */
  readonly pingIntervalMs: number;
  /** Give the connection up (destroy its socket) when a ping gets no answer within this long (ms). */
  readonly pingTimeoutMs: number;
  /** Where the connection goes (`host:port`), for messages. */
  readonly endpoint: string;
}

/**
 * The subscriber side of a driver over a client that resubscribes by itself: one connection,
 * shared by every subscription through `SubscriberRegistry` (reference-counted names), watched by
 * `ConnectionKeepAlive` (a subscriber receives nothing while nobody publishes, so a half-open
 * connection would go silent for good: after `pingIntervalMs` without traffic it is pinged, and a
 * ping with no answer destroys the socket, so the client reconnects and resubscribes as after any
 * other loss). Messages published while the connection is down are lost, as Redis pub/sub keeps
 * nothing for absent subscribers.
 */
export class ResubscribingSubscriber<C extends ResubscribingClient> {
  readonly #options: ResubscribingSubscriberOptions<C>;
  readonly #registry: SubscriberRegistry;
  #client: C | undefined;
  #keepAlive: ConnectionKeepAlive | undefined;
  #closed = false;

  /** @param options the connection, the driver's error mapping and the keep-alive's timing */
  constructor(options: ResubscribingSubscriberOptions<C>) {
    this.#options = options;
    this.#registry = new SubscriberRegistry({
      subscribe: (kind, name) =>
        this.#call(this.#connection(), kind === 'channel' ? 'SUBSCRIBE' : 'PSUBSCRIBE', name),
      unsubscribe: (kind, name) =>
        this.#call(this.#client, kind === 'channel' ? 'UNSUBSCRIBE' : 'PUNSUBSCRIBE', name),
    });
  }

  /** The connection opened last, if any. */
  get client(): C | undefined {
    return this.#client;
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage);
  }

  /**
   * Drops every subscription and stops watching the connection; returns it (if one was opened)
   * for the driver to disconnect. Idempotent.
   */
  close(): C | undefined {
    this.#closed = true;
    this.#registry.clear();
    this.#keepAlive?.stop();
    const client = this.#client;
    this.#client = undefined;
    return client;
  }

  async #call(
    client: C | undefined,
    command: 'SUBSCRIBE' | 'PSUBSCRIBE' | 'UNSUBSCRIBE' | 'PUNSUBSCRIBE',
    name: string,
  ): Promise<void> {
    if (this.#closed || !client) return;
    try {
      if (command === 'SUBSCRIBE') await client.subscribe(name);
      else if (command === 'PSUBSCRIBE') await client.psubscribe(name);
      else if (command === 'UNSUBSCRIBE') await client.unsubscribe(name);
      else await client.punsubscribe(name);
    } catch (error) {
      throw this.#options.mapError(error, command);
    }
  }

  #connection(): C | undefined {
    if (this.#closed) return undefined;
    const client = this.#options.connection();
    if (client === this.#client) return client;
    this.#keepAlive?.stop();
    const { mapError, endpoint } = this.#options;
    const keepAlive = new ConnectionKeepAlive({
      idleMs: this.#options.pingIntervalMs,
      timeoutMs: this.#options.pingTimeoutMs,
      describe: `the subscriber connection to ${endpoint}`,
      ping: () => client.ping().catch((error: unknown) => Promise.reject(mapError(error, 'PING'))),
      onUnanswered: (reason) => client.stream?.destroy(reason),
    });
    client.on('message', (channel: string, message: string) => {
      keepAlive.received();
      this.#registry.deliver({ channel, message });
    });
    client.on('pmessage', (pattern: string, channel: string, message: string) => {
      keepAlive.received();
      this.#registry.deliver({ channel, pattern, message });
    });
    keepAlive.start();
    this.#keepAlive = keepAlive;
    this.#client = client;
    return client;
  }
}
