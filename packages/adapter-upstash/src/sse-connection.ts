import { type DriverMessage, RedisTimeoutError, type SubscriptionKind } from '@redis-service/core';
import { serverError, unauthorizedError, unreachableError, unreadableError } from './map-error.js';

// Read once: in Node `performance` is a lazy global getter.
const clock: { now(): number } = globalThis.performance ?? Date;

/** What one event-stream connection needs. */
export interface SseConnectionOptions {
  /** `POST` here: `<rest url>/subscribe/<channel>` or `/psubscribe/<pattern>`. */
  readonly url: string;
  /** The REST URL without credentials, for messages. */
  readonly endpoint: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  readonly kind: SubscriptionKind;
  readonly name: string;
  /** How long the service may take to confirm the subscription (ms); `0`: no bound. */
  readonly confirmTimeoutMs: number;
  /**
   * How long the confirmed stream may stay silent, not even a keep-alive comment, before `onIdle`
   * is called (ms), and again after each further such period; `0`: never.
   */
  readonly idleTimeoutMs: number;
  /** A message of the stream's channel or pattern. */
  readonly deliver: (message: DriverMessage) => void;
  /** The service confirmed the subscription. */
  readonly onConfirmed: () => void;
  /** The confirmed stream has been silent for `idleTimeoutMs`. */
  readonly onIdle: () => void;
}

/**
 * One `POST /subscribe/<channel>` (or `/psubscribe/<pattern>`) event stream, read with `fetch`
 * alone. The service sends `data: subscribe,<channel>,<count>` once subscribed, then
 * `data: message,<channel>,<text>` (`pmessage,<pattern>,<channel>,<text>` for patterns) per
 * message; any other line (a `:` comment a server sends to keep the stream alive) only proves the
 * stream alive. For a pattern, a channel name holding a comma cannot be told from the message and
 * is cut at it.
 */
export class SseConnection {
  readonly #options: SseConnectionOptions;
  readonly #abort = new AbortController();
  #confirmed = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #heardAt = 0;

  constructor(options: SseConnectionOptions) {
    this.#options = options;
  }

  /** Aborts the stream; `run()` then resolves. Idempotent. */
  close(): void {
    this.#abort.abort();
    clearTimeout(this.#idleTimer);
  }

  /**
   * Opens the stream and reads it until it ends: resolves when the service ends it or `close()`
   * aborts it, rejects when it could not be opened or read, or was not confirmed in time.
   */
  async run(): Promise<void> {
    const { confirmTimeoutMs, endpoint } = this.#options;
    let timedOut = false;
    const confirmTimer =
      confirmTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            this.#abort.abort();
          }, confirmTimeoutMs)
        : undefined;
    try {
      let response: Response;
      try {
        response = await this.#options.fetch(this.#options.url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.#options.token}`,
            accept: 'text/event-stream',
            'cache-control': 'no-cache',
            'content-type': 'application/json',
          },
          body: '[]',
          signal: this.#abort.signal,
        });
      } catch (error) {
        throw this.#failure(error, timedOut);
      }
      if (!response.ok) throw await this.#statusError(response);
      if (!response.body) throw unreadableError(endpoint, 'the event stream has no body');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let pending = '';
      let data: string[] = [];
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          if (this.#abort.signal.aborted && !timedOut) return;
          throw this.#failure(error, timedOut);
        }
        if (chunk.done) {
          if (!this.#confirmed) {
            throw unreadableError(endpoint, 'the event stream ended before the subscription was confirmed');
          }
          return;
        }
        this.#heard();
        pending += decoder.decode(chunk.value, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          const line = pending.slice(0, newline).replace(/\r$/, '');
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
          if (line === '') {
            if (data.length > 0) this.#dispatch(data.join('\n'), confirmTimer);
            data = [];
          } else if (line.startsWith('data:')) {
            data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
          }
        }
      }
    } finally {
      clearTimeout(confirmTimer);
      this.close();
    }
  }

  /** Something arrived: the idle watch starts over (once the stream is confirmed). */
  #heard(): void {
    const { idleTimeoutMs } = this.#options;
    if (!this.#confirmed || idleTimeoutMs <= 0 || this.#abort.signal.aborted) return;
    this.#heardAt = clock.now();
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#idle(), idleTimeoutMs);
    (this.#idleTimer as { unref?: () => void }).unref?.();
  }

  #idle(): void {
    // On a stalled event loop this timer runs before the bytes waiting on the socket are read:
    // one more turn lets them in (and restart the watch) before the stream counts as silent.
    const heardAt = this.#heardAt;
    this.#idleTimer = setTimeout(() => {
      if (this.#abort.signal.aborted || this.#heardAt !== heardAt) return;
      this.#heard(); // watch the next period too: a replacement that fails leaves this stream in place
      this.#options.onIdle();
    }, 0);
    (this.#idleTimer as { unref?: () => void }).unref?.();
  }

  #dispatch(data: string, confirmTimer: ReturnType<typeof setTimeout> | undefined): void {
    const { kind, name } = this.#options;
    const confirmation = kind === 'channel' ? 'subscribe,' : 'psubscribe,';
    if (data.startsWith(confirmation)) {
      clearTimeout(confirmTimer);
      if (this.#confirmed) return;
      this.#confirmed = true;
      this.#heard();
      this.#options.onConfirmed();
      return;
    }
    if (kind === 'channel') {
      const prefix = `message,${name},`;
      if (data.startsWith(prefix))
        this.#options.deliver({ channel: name, message: data.slice(prefix.length) });
      return;
    }
    const prefix = `pmessage,${name},`;
    if (!data.startsWith(prefix)) return;
    const rest = data.slice(prefix.length);
    const comma = rest.indexOf(',');
    if (comma !== -1) {
      this.#options.deliver({ channel: rest.slice(0, comma), pattern: name, message: rest.slice(comma + 1) });
    }
  }

  #failure(error: unknown, timedOut: boolean): Error {
    const { endpoint, confirmTimeoutMs } = this.#options;
    if (timedOut) {
      return new RedisTimeoutError(
        `the Upstash REST endpoint ${endpoint} did not confirm the subscription within ${confirmTimeoutMs} ms`,
        confirmTimeoutMs,
      );
    }
    return unreachableError(endpoint, error);
  }

  async #statusError(response: Response): Promise<Error> {
    const { endpoint } = this.#options;
    if (response.status === 401 || response.status === 403) {
      return unauthorizedError(endpoint, `HTTP ${response.status}`);
    }
    let message: unknown;
    try {
      message = ((await response.json()) as { error?: unknown } | null)?.error;
    } catch {
      message = undefined;
    }
    if (response.status === 400 && typeof message === 'string') return serverError(endpoint, message);
    return unreachableError(
      endpoint,
      `HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
    );
  }
}
