import { ConnectionKeepAlive } from '../health/connection-keep-alive.js';
import type { DriverMessage, DriverSubscription } from '../port/driver.js';
import { type InterruptionListener, SubscriberRegistry } from '../pubsub/subscriber-registry.js';

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
  /** The connection closed (dropped, or destroyed by the keep-alive): messages may be missed from now on. */
  on(event: 'close', listener: () => void): unknown;
  /**
   * The connection is ready again, emitted after the client wrote its SUBSCRIBE / PSUBSCRIBE of
   * every name on it (as ioredis' `autoResubscribe` does), so a PING sent then is answered after them.
   */
  on(event: 'ready', listener: () => void): unknown;
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
 *
 * Subscriptions that ask (`onInterruption`, see `RedisDriver.subscribe`) are told `'lost'` when
 * the connection closes (dropped, or destroyed because a ping went unanswered) and `'restored'`
 * once every name is subscribed again after the reconnect: on `ready` this subscriber sends its
 * own SUBSCRIBE / PSUBSCRIBE of every name (whatever the client resubscribed by itself) and waits
 * for the server to confirm them all.
 */
export class ResubscribingSubscriber<C extends ResubscribingClient> {
  readonly #options: ResubscribingSubscriberOptions<C>;
  readonly #registry: SubscriberRegistry;
  #client: C | undefined;
  #keepAlive: ConnectionKeepAlive | undefined;
  #closed = false;
  // Between a lost connection and the moment every name is subscribed again.
  #interrupted = false;
  // Counts the connection's closes, so a PING answered before a later close cannot report it restored.
  #closes = 0;

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
    onInterruption?: InterruptionListener,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage, onInterruption);
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
    client.on('close', () => this.#lost(client));
    client.on('ready', () => this.#readyAgain(client));
    keepAlive.start();
    this.#keepAlive = keepAlive;
    this.#client = client;
    return client;
  }

  /** Messages may be missed from now on: the subscriptions that asked are told, once. */
  #lost(client: C): void {
    if (this.#closed || client !== this.#client) return;
    this.#closes++;
    if (this.#interrupted) return;
    this.#interrupted = true;
    this.#registry.interrupted('lost');
  }

  /**
   * After a reconnect: every name is subscribed again by this subscriber itself, not only by the
   * client, and once the server confirmed them all the subscriptions are told `'restored'`. The
   * client's own resubscribe is not enough: ioredis keeps the names it resubscribes only until
   * their replies arrive, so a connection that drops again in between (a primary that fails over
   * while the subscriber reconnects, say) comes back holding nothing, on a healthy socket that no
   * keep-alive would replace. A SUBSCRIBE of a name already held is a no-op on the server.
   */
  #readyAgain(client: C): void {
    if (!this.#interrupted || client !== this.#client) return;
    const closes = this.#closes;
    // Still the same connection, unclosed since this `ready`, and nobody reported it restored yet.
    const current = () =>
      !this.#closed && this.#interrupted && client === this.#client && closes === this.#closes;
    this.#registry.connectionReplaced();
    // A failure means the connection dropped again: its next `ready` subscribes what is missing.
    this.#registry.resubscribe().then(
      () => {
        if (!current()) return;
        this.#interrupted = false;
        this.#registry.interrupted('restored');
      },
      () => {},
    );
  }
}
