import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  type DriverMessage,
  type DriverSubscription,
  SubscriberRegistry,
  type SubscriptionKind,
} from '@redis-service/core';
import { unreadableError } from './map-error.js';
import { SseConnection } from './sse-connection.js';

/** Options of `UpstashSseSubscriber`. */
export interface UpstashSseSubscriberOptions {
  /** The REST URL without credentials. */
  readonly url: string;
  /** The bearer token. */
  readonly token: string;
  /** How long each connection of a stream may take to be confirmed (ms). `0`: no bound. */
  readonly connectTimeoutMs: number;
  /**
   * How long a stream may stay silent (no message, no keep-alive comment) before it is replaced
   * by a new one (ms; see `UpstashSseSubscriber`). `0` never replaces a silent stream. Default:
   * `connectTimeoutMs`, or 5000 when that is `0`.
   */
  readonly idleTimeoutMs?: number;
  /** The `fetch` to use. Default: the global one. */
  readonly fetch?: typeof fetch;
}

/** The longest pause between two attempts to open a dropped stream again, in milliseconds. */
export const SSE_MAX_RECONNECT_DELAY_MS = 400;

/**
 * Upstash pub/sub over its server-sent event endpoints, with `fetch` alone (edge-safe): one
 * stream per channel (`POST /subscribe/<channel>`) or pattern (`POST /psubscribe/<pattern>`),
 * shared by every subscription to that name through core's `SubscriberRegistry`. The service
 * sends `data: subscribe,<channel>,<count>` once subscribed, then `data: message,<channel>,<text>`
 * (`pmessage,<pattern>,<channel>,<text>` for patterns) per message.
 *
 * A stream that drops after it was confirmed is opened again (50 ms, doubling to at most
 * `SSE_MAX_RECONNECT_DELAY_MS`, for as long as it is wanted); messages published meanwhile are
 * lost, as with any Redis subscriber. A first connection that fails rejects the subscribe call.
 * A stream silent for `idleTimeoutMs` (a half-open connection, which never ends by itself) is
 * replaced make-before-break; a server that sends keep-alive comments more often than that (the
 * kit's REST bridge does) keeps its quiet streams as they are.
 * For a pattern, a channel name holding a comma cannot be told from the message and is cut at it.
 */
export class UpstashSseSubscriber {
  readonly #options: UpstashSseSubscriberOptions & { readonly idleTimeoutMs: number };
  readonly #fetch: typeof fetch;
  readonly #registry: SubscriberRegistry;
  readonly #streams = new Map<string, SseStream>();
  #closed = false;

  constructor(options: UpstashSseSubscriberOptions) {
    const idleTimeoutMs =
      options.idleTimeoutMs ??
      (options.connectTimeoutMs > 0 ? options.connectTimeoutMs : DEFAULT_COMMAND_TIMEOUT_MS);
    this.#options = { ...options, idleTimeoutMs, url: options.url.replace(/\/+$/, '') };
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#registry = new SubscriberRegistry({
      subscribe: (kind, name) => this.#open(kind, name),
      unsubscribe: async (kind, name) => {
        const key = `${kind}:${name}`;
        this.#streams.get(key)?.stop();
        this.#streams.delete(key);
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

  /** Drops every subscription and aborts every stream. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#registry.clear();
    for (const stream of this.#streams.values()) stream.stop();
    this.#streams.clear();
  }

  async #open(kind: SubscriptionKind, name: string): Promise<void> {
    if (this.#closed) return;
    const stream = new SseStream(this.#options, this.#fetch, kind, name, (message) =>
      this.#registry.deliver(message),
    );
    this.#streams.set(`${kind}:${name}`, stream);
    try {
      await stream.start();
    } catch (error) {
      this.#streams.delete(`${kind}:${name}`);
      throw error;
    }
  }
}

/**
 * One channel's (or pattern's) event stream, kept open until stopped: opened, confirmed, read,
 * opened again after a drop, and replaced when it goes silent.
 *
 * A stream whose connection went half-open (the peer gone without a FIN or RST) would be silent
 * for good, and so is a healthy stream of a quiet channel on a server that sends no keep-alive
 * comments: they cannot be told apart from here. So a stream silent for `idleTimeoutMs` is
 * replaced make-before-break: a second stream is opened for the same name, and once the service
 * confirms it, delivery moves to it and the silent one is aborted. A dead stream is so replaced
 * within about `idleTimeoutMs`; a live quiet one loses nothing (only a message racing the switch
 * itself could arrive on the old stream just after it was given up).
 */
class SseStream {
  readonly #options: UpstashSseSubscriberOptions & { readonly idleTimeoutMs: number };
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #kind: SubscriptionKind;
  readonly #name: string;
  readonly #deliver: (message: DriverMessage) => void;
  #current: SseConnection | undefined;
  #candidate: SseConnection | undefined;
  #everConfirmed = false;
  #attempt = 0;
  #stopped = false;
  readonly #stopSignal = new AbortController();
  #settleStart: ((error?: unknown) => void) | undefined;

  constructor(
    options: UpstashSseSubscriberOptions & { readonly idleTimeoutMs: number },
    fetcher: typeof fetch,
    kind: SubscriptionKind,
    name: string,
    deliver: (message: DriverMessage) => void,
  ) {
    const path = kind === 'channel' ? 'subscribe' : 'psubscribe';
    this.#url = `${options.url}/${path}/${encodeURIComponent(name)}`;
    this.#options = options;
    this.#fetch = fetcher;
    this.#kind = kind;
    this.#name = name;
    this.#deliver = deliver;
  }

  /** Opens the stream; resolves once the service confirmed the subscription. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#settleStart = (error) => {
        this.#settleStart = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      this.#current = this.#open();
    });
  }

  /** Aborts the stream for good. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopSignal.abort();
    this.#current?.close();
    this.#candidate?.close();
    // Stopped before the first confirmation: the registry no longer waits for it.
    this.#settleStart?.();
  }

  #open(): SseConnection {
    const connection: SseConnection = new SseConnection({
      url: this.#url,
      endpoint: this.#options.url,
      token: this.#options.token,
      fetch: this.#fetch,
      kind: this.#kind,
      name: this.#name,
      confirmTimeoutMs: this.#options.connectTimeoutMs,
      idleTimeoutMs: this.#options.idleTimeoutMs,
      deliver: (message) => {
        if (connection === this.#current) this.#deliver(message);
      },
      onConfirmed: () => this.#confirmed(connection),
      onIdle: () => this.#idle(connection),
    });
    connection.run().then(
      () => this.#ended(connection, undefined),
      (error: unknown) => this.#ended(connection, error),
    );
    return connection;
  }

  #confirmed(connection: SseConnection): void {
    if (this.#stopped) return;
    this.#attempt = 0;
    if (connection === this.#candidate) {
      // The replacement is live: delivery moves to it, and the silent stream is given up.
      const silent = this.#current;
      this.#current = connection;
      this.#candidate = undefined;
      silent?.close();
    }
    if (!this.#everConfirmed) {
      this.#everConfirmed = true;
      this.#settleStart?.();
    }
  }

  #idle(connection: SseConnection): void {
    if (this.#stopped || connection !== this.#current || this.#candidate) return;
    this.#candidate = this.#open();
  }

  #ended(connection: SseConnection, error: unknown): void {
    if (this.#stopped) return;
    if (connection === this.#candidate) {
      // The replacement failed: the silent stream stays, and its next idle period tries again.
      this.#candidate = undefined;
      return;
    }
    if (connection !== this.#current) return; // a silent stream given up for its replacement
    if (!this.#everConfirmed) {
      this.#current = undefined;
      this.#stopped = true;
      this.#settleStart?.(
        error ??
          unreadableError(this.#options.url, 'the event stream ended before the subscription was confirmed'),
      );
      return;
    }
    // A replacement under way takes over once confirmed; otherwise the stream is opened again.
    this.#current = this.#candidate;
    this.#candidate = undefined;
    if (this.#current) return;
    const delay = Math.min(50 * 2 ** this.#attempt++, SSE_MAX_RECONNECT_DELAY_MS);
    void sleep(delay, this.#stopSignal.signal).then(() => {
      if (!this.#stopped && this.#current === undefined) this.#current = this.#open();
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
