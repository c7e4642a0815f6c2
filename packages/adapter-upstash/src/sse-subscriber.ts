import {
  type DriverMessage,
  type DriverSubscription,
  RedisReplyError,
  RedisTimeoutError,
  SubscriberRegistry,
  type SubscriptionKind,
} from '@redis-service/core';
import { unauthorizedError, unreachableError, unreadableError } from './map-error.js';

/** Options of `UpstashSseSubscriber`. */
export interface UpstashSseSubscriberOptions {
  /** The REST URL without credentials. */
  readonly url: string;
  /** The bearer token. */
  readonly token: string;
  /** How long the first connection of a stream may take to be confirmed (ms). `0`: no bound. */
  readonly connectTimeoutMs: number;
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
 * For a pattern, a channel name holding a comma cannot be told from the message and is cut at it.
 */
export class UpstashSseSubscriber {
  readonly #options: UpstashSseSubscriberOptions;
  readonly #fetch: typeof fetch;
  readonly #registry: SubscriberRegistry;
  readonly #streams = new Map<string, SseStream>();
  #closed = false;

  constructor(options: UpstashSseSubscriberOptions) {
    this.#options = { ...options, url: options.url.replace(/\/+$/, '') };
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

/** One event stream: opened, confirmed, read, and opened again after a drop until stopped. */
class SseStream {
  readonly #url: string;
  readonly #endpoint: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #kind: SubscriptionKind;
  readonly #name: string;
  readonly #deliver: (message: DriverMessage) => void;
  readonly #stopped = new AbortController();

  constructor(
    options: UpstashSseSubscriberOptions,
    fetcher: typeof fetch,
    kind: SubscriptionKind,
    name: string,
    deliver: (message: DriverMessage) => void,
  ) {
    const path = kind === 'channel' ? 'subscribe' : 'psubscribe';
    this.#url = `${options.url}/${path}/${encodeURIComponent(name)}`;
    this.#endpoint = options.url;
    this.#token = options.token;
    this.#timeoutMs = options.connectTimeoutMs;
    this.#fetch = fetcher;
    this.#kind = kind;
    this.#name = name;
    this.#deliver = deliver;
  }

  /** Opens the stream; resolves once the service confirmed the subscription. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      void this.#run(resolve, reject);
    });
  }

  /** Aborts the stream for good. */
  stop(): void {
    this.#stopped.abort();
  }

  async #run(confirmed: () => void, failed: (error: unknown) => void): Promise<void> {
    let everConfirmed = false;
    let attempt = 0;
    while (!this.#stopped.signal.aborted) {
      try {
        await this.#connectOnce(() => {
          attempt = 0;
          if (!everConfirmed) {
            everConfirmed = true;
            confirmed();
          }
        }, everConfirmed);
        if (!everConfirmed && !this.#stopped.signal.aborted) {
          failed(
            unreadableError(this.#endpoint, 'the event stream ended before the subscription was confirmed'),
          );
          return;
        }
      } catch (error) {
        if (this.#stopped.signal.aborted) break;
        if (!everConfirmed) {
          failed(error);
          return;
        }
      }
      if (this.#stopped.signal.aborted) break;
      await sleep(Math.min(50 * 2 ** attempt++, SSE_MAX_RECONNECT_DELAY_MS), this.#stopped.signal);
    }
    // Stopped before the first confirmation: the registry no longer waits for it.
    if (!everConfirmed) confirmed();
  }

  /** One connection: resolves when the stream ends, rejects when it could not be opened or read. */
  async #connectOnce(onConfirmed: () => void, reconnecting: boolean): Promise<void> {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    this.#stopped.signal.addEventListener('abort', stop, { once: true });
    let timedOut = false;
    const timer =
      this.#timeoutMs > 0 && !reconnecting
        ? setTimeout(() => {
            timedOut = true;
            attempt.abort();
          }, this.#timeoutMs)
        : undefined;
    try {
      let response: Response;
      try {
        response = await this.#fetch(this.#url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.#token}`,
            accept: 'text/event-stream',
            'cache-control': 'no-cache',
            'content-type': 'application/json',
          },
          body: '[]',
          signal: attempt.signal,
        });
      } catch (error) {
        throw this.#failure(error, timedOut);
      }
      if (!response.ok) throw await this.#statusError(response);
      if (!response.body) throw unreadableError(this.#endpoint, 'the event stream has no body');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let pending = '';
      let data: string[] = [];
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw this.#failure(error, timedOut);
        }
        if (chunk.done) return;
        pending += decoder.decode(chunk.value, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          const line = pending.slice(0, newline).replace(/\r$/, '');
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
          if (line === '') {
            if (data.length > 0) this.#dispatch(data.join('\n'), onConfirmed, timer);
            data = [];
          } else if (line.startsWith('data:')) {
            data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
          }
        }
      }
    } finally {
      clearTimeout(timer);
      this.#stopped.signal.removeEventListener('abort', stop);
      attempt.abort();
    }
  }

  #dispatch(data: string, onConfirmed: () => void, timer: ReturnType<typeof setTimeout> | undefined): void {
    const name = this.#name;
    if (this.#kind === 'channel') {
      const prefix = `message,${name},`;
      if (data.startsWith(prefix)) {
        this.#deliver({ channel: name, message: data.slice(prefix.length) });
      } else if (data.startsWith('subscribe,')) {
        clearTimeout(timer);
        onConfirmed();
      }
      return;
    }
    const prefix = `pmessage,${name},`;
    if (data.startsWith(prefix)) {
      const rest = data.slice(prefix.length);
      const comma = rest.indexOf(',');
      if (comma !== -1) {
        this.#deliver({ channel: rest.slice(0, comma), pattern: name, message: rest.slice(comma + 1) });
      }
    } else if (data.startsWith('psubscribe,')) {
      clearTimeout(timer);
      onConfirmed();
    }
  }

  #failure(error: unknown, timedOut: boolean): Error {
    if (timedOut) {
      return new RedisTimeoutError(
        `the Upstash REST endpoint ${this.#endpoint} did not confirm the subscription within ${this.#timeoutMs} ms`,
        this.#timeoutMs,
      );
    }
    return unreachableError(this.#endpoint, error);
  }

  async #statusError(response: Response): Promise<Error> {
    if (response.status === 401 || response.status === 403) {
      return unauthorizedError(this.#endpoint, `HTTP ${response.status}`);
    }
    let message: unknown;
    try {
      message = ((await response.json()) as { error?: unknown } | null)?.error;
    } catch {
      message = undefined;
    }
    if (response.status === 400 && typeof message === 'string') return new RedisReplyError(message);
    return unreachableError(
      this.#endpoint,
      `HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
    );
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
