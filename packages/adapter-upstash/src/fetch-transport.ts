import { decodeBase64Strings } from './base64-text.js';
import { parseJsonExact } from './exact-json.js';
import { serverError, unauthorizedError, unreachableError, unreadableError } from './map-error.js';
import type { RestTransport } from './rest-transport.js';

/** Options of `FetchTransport`. */
export interface FetchTransportOptions {
  /** The REST URL without credentials, e.g. `https://eu1-example.upstash.io`. */
  readonly url: string;
  /** The bearer token. */
  readonly token: string;
  /**
   * How many times to try again when the endpoint could not be reached at all (connection refused,
   * DNS failure): only failures where the request surely was not sent, so a command never runs twice.
   */
  readonly retries: number;
  /** The `fetch` to use. Default: the global one. */
  readonly fetch?: typeof fetch;
}

// Codes of a failure to reach the endpoint at all: nothing was sent, so trying again is safe.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const MAX_BACKOFF_MS = 400;

/**
 * The REST protocol spoken with `fetch` alone (no Node API, so it runs on edge runtimes), the way
 * @upstash/redis speaks it: `POST` a JSON argv to `/`, or a list of them to `/pipeline` or
 * `/multi-exec`, with `Authorization: Bearer`, `Upstash-Encoding: base64` and the read-your-writes
 * `upstash-sync-token` (sent back as the service last gave it). Unlike the official client it
 * parses integers beyond 2^53 exactly, sees the HTTP status (a 401 is a refused token, a 5xx an
 * unavailable service, not a command error), never retries a request that may have been sent,
 * and leaves arguments and messages out of its errors.
 */
export class FetchTransport implements RestTransport {
  readonly endpoint: string;
  readonly exactIntegers = true;
  readonly #url: string;
  readonly #token: string;
  readonly #retries: number;
  readonly #fetch: typeof fetch;
  #syncToken = '';

  constructor(options: FetchTransportOptions) {
    this.#url = options.url.replace(/\/+$/, '');
    this.endpoint = this.#url;
    this.#token = options.token;
    this.#retries = options.retries;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async command(argv: readonly string[], signal: AbortSignal): Promise<unknown> {
    const body = await this.#post('', argv, signal);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw unreadableError(this.endpoint, 'expected a JSON object with result or error');
    }
    const { result, error } = body as { result?: unknown; error?: unknown };
    if (typeof error === 'string') throw serverError(this.endpoint, error);
    if (result === undefined)
      throw unreadableError(this.endpoint, 'the response has neither result nor error');
    return decodeBase64Strings(result);
  }

  async batch(
    commands: readonly (readonly string[])[],
    transaction: boolean,
    signal: AbortSignal,
  ): Promise<unknown> {
    const body = await this.#post(transaction ? '/multi-exec' : '/pipeline', commands, signal);
    if (!Array.isArray(body)) return body;
    return body.map((item: unknown) => {
      if (typeof item !== 'object' || item === null) return item;
      const { result, error } = item as { result?: unknown; error?: unknown };
      return typeof error === 'string' ? { error } : { result: decodeBase64Strings(result) };
    });
  }

  async #post(path: string, payload: unknown, signal: AbortSignal): Promise<unknown> {
    const response = await this.#fetchWithRetries(this.#url + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.#token}`,
        'content-type': 'application/json',
        'upstash-encoding': 'base64',
        'upstash-sync-token': this.#syncToken,
      },
      body: JSON.stringify(payload),
      signal,
    });
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw unreachableError(this.endpoint, error);
    }
    this.#syncToken = response.headers.get('upstash-sync-token') ?? '';
    let body: unknown;
    try {
      body = parseJsonExact(text);
    } catch (error) {
      if (response.status === 401 || response.status === 403) {
        throw unauthorizedError(this.endpoint, `HTTP ${response.status}`);
      }
      throw unreadableError(this.endpoint, `HTTP ${response.status}, the body is not JSON`, error);
    }
    if (response.status === 401 || response.status === 403) {
      const reason = (body as { error?: unknown } | null)?.error;
      throw unauthorizedError(
        this.endpoint,
        `HTTP ${response.status}${typeof reason === 'string' ? `: ${reason}` : ''}`,
      );
    }
    if (response.ok) return body;
    const message = (body as { error?: unknown } | null)?.error;
    if (response.status === 400 && typeof message === 'string') throw serverError(this.endpoint, message);
    // A 5xx (or any other status) means the service could not serve the request: not a reply.
    throw unreachableError(
      this.endpoint,
      `HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
    );
  }

  async #fetchWithRetries(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#fetch(url, init);
      } catch (error) {
        if (init.signal?.aborted) throw error;
        if (attempt >= this.#retries || !surelyNotSent(error)) throw unreachableError(this.endpoint, error);
        await sleep(Math.min(25 * 2 ** attempt, MAX_BACKOFF_MS), init.signal ?? undefined);
      }
    }
  }
}

function surelyNotSent(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' && NOT_SENT_CODES.has(code);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
