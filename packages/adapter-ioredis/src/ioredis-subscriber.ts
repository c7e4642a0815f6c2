import type { DriverMessage, DriverSubscription, InterruptionListener } from '@redis-service/core';
import { ResubscribingSubscriber } from '@redis-service/core/adapter';
import type { Redis, RedisOptions } from 'ioredis';
import { reconnectDelay } from './fail-fast-options.js';

/** How the subscriber connection is watched (see `IoredisDriverOptions.subscriberPingIntervalMs`). */
export interface IoredisSubscriberOptions {
  /** Ping the connection after this long without receiving anything (ms); `0`: never. */
  readonly pingIntervalMs: number;
  /** Replace the connection when a ping gets no answer within this long (ms). */
  readonly pingTimeoutMs: number;
  /** `host:port`, for messages. */
  readonly endpoint: string;
}

/**
 * The subscriber side of an ioredis driver: one dedicated connection (`client.duplicate()`, so the
 * same fail-fast options), opened on the first subscription and shared by all of them. ioredis
 * resubscribes after a reconnect on its own (`autoResubscribe`, on by default), so the toolkit's
 * `ResubscribingSubscriber` does the rest: reference counts, the keep-alive that replaces a
 * half-open connection, delivery, and telling the subscriptions that ask of every interruption
 * (`'lost'` when the socket closes, `'restored'` once the names are subscribed again). Messages
 * are decoded as UTF-8 text.
 *
 * A sentinel-managed subscriber follows the primary: it asks the sentinels again whenever its
 * connection drops (and on `+switch-master` with `failoverDetector`), and resubscribes on the new
 * primary. The factories give the command connection a single pass over the sentinels (so commands
 * fail fast when none answers); the subscriber has no next command to start another pass, so once
 * it has been ready it keeps asking the sentinels, 50 ms after a failed pass doubling to 400 ms.
 */
export class IoredisSubscriber {
  readonly #parent: Redis;
  readonly #subscriber: ResubscribingSubscriber<Redis>;
  #client: Redis | undefined;
  #everReady = false;
  #closed = false;

  /**
   * @param parent the driver's client, duplicated for the subscriber connection
   * @param mapError maps ioredis' errors onto core's (the driver's own mapping)
   */
  constructor(
    parent: Redis,
    mapError: (error: unknown, command: string) => Error,
    options: IoredisSubscriberOptions,
  ) {
    this.#parent = parent;
    this.#subscriber = new ResubscribingSubscriber({
      ...options,
      mapError,
      connection: () => this.#connection(),
    });
  }

  /** Adds a subscription; see `RedisDriver.subscribe`. */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
    onInterruption?: InterruptionListener,
  ): Promise<DriverSubscription> {
    return this.#subscriber.subscribe(target, onMessage, onInterruption);
  }

  /** Drops every subscription and disconnects the subscriber connection. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    const client = this.#subscriber.close();
    if (!client || client.status === 'end') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 3000);
      timer.unref();
      client.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      client.disconnect();
      // Between reconnect attempts there is no socket left to close, so ioredis never emits 'end'.
      if (client.status === 'reconnecting' || client.status === 'end') resolve();
    });
  }

  #connection(): Redis {
    // A subscriber that never got a connection (its first pass over the sentinels failed) has
    // ended with nothing subscribed: the next call starts afresh.
    if (this.#client && !(this.#client.status === 'end' && !this.#everReady)) return this.#client;
    // The connection is opened by the very call that needs it: without the offline queue, a
    // client built with `enableOfflineQueue: false` would refuse that first SUBSCRIBE.
    const client = this.#parent.duplicate({
      autoResubscribe: true,
      enableOfflineQueue: true,
      ...this.#followPrimary(),
    });
    client.on('ready', () => {
      this.#everReady = true;
    });
    // Connection errors reach subscribe() through its promise; the listener keeps ioredis quiet.
    client.on('error', () => {});
    this.#client = client;
    return client;
  }

  /** For a sentinel-managed parent: keep asking the sentinels once the subscriber has been ready. */
  #followPrimary(): Pick<RedisOptions, 'sentinelRetryStrategy'> {
    const { sentinels, sentinelRetryStrategy } = this.#parent.options;
    if (!Array.isArray(sentinels) || sentinels.length === 0) return {};
    return {
      sentinelRetryStrategy: (attempt: number) => {
        const own = sentinelRetryStrategy?.(attempt);
        if (typeof own === 'number') return own;
        return this.#everReady && !this.#closed ? reconnectDelay(attempt) : null;
      },
    };
  }
}
