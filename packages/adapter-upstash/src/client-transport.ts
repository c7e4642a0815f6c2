import { redactUrl } from '@redis-service/core';
import type { Redis, Requester } from '@upstash/redis';
import { mapUpstashClientError, serverError, unreadableError } from './map-error.js';
import type { RestTransport } from './rest-transport.js';

/**
 * The REST protocol through a user's @upstash/redis client. The driver talks to the client's
 * requester (its `HttpClient`: `request({ path, body })`), the layer under the typed commands, so
 * the client's command-level options cannot change what the driver sees: `automaticDeserialization`
 * (which would turn the string `"123"` into a number), auto-pipelining (which since 1.38 may move
 * reads ahead of writes) and latency logging are bypassed. What still applies is the requester's
 * own behaviour: its retries on network errors (default 5, about 4 s in all; `retry: false` still
 * makes a second attempt, `retry: { retries: 0 }` makes one), `responseEncoding` (base64 by
 * default, decoded by the client) and read-your-writes sync tokens.
 *
 * The driver passes a signal factory with each request (it fires on close and at the driver's
 * command timeout), which takes precedence over a `signal` in the client's config.
 */
export class UpstashClientTransport implements RestTransport {
  readonly endpoint: string;
  /** The client parses responses with `JSON.parse`: integers beyond 2^53 arrive rounded. */
  readonly exactIntegers = false;
  readonly #requester: Requester;

  constructor(client: Redis | Requester) {
    this.#requester = requesterOf(client);
    const baseUrl: unknown = (this.#requester as { baseUrl?: unknown }).baseUrl;
    this.endpoint =
      typeof baseUrl === 'string' && baseUrl !== '' ? redactUrl(baseUrl) : '(an @upstash/redis client)';
  }

  async command(argv: readonly string[], signal: AbortSignal): Promise<unknown> {
    const response = await this.#request(undefined, argv, signal);
    if (typeof response !== 'object' || response === null) {
      throw unreadableError(this.endpoint, 'expected a JSON object with result or error');
    }
    const { result, error } = response as { result?: unknown; error?: unknown };
    if (typeof error === 'string') throw serverError(this.endpoint, error);
    if (result === undefined)
      throw unreadableError(this.endpoint, 'the response has neither result nor error');
    return result;
  }

  batch(
    commands: readonly (readonly string[])[],
    transaction: boolean,
    signal: AbortSignal,
  ): Promise<unknown> {
    return this.#request([transaction ? 'multi-exec' : 'pipeline'], commands, signal);
  }

  async #request(path: string[] | undefined, body: unknown, signal: AbortSignal): Promise<unknown> {
    try {
      return await this.#requester.request({
        ...(path ? { path } : {}),
        body,
        // The HttpClient also takes a signal factory. A factory makes an abort throw; a plain
        // AbortSignal that fires would come back as a 200 whose result is the abort reason.
        signal: (() => signal) as unknown as AbortSignal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw mapUpstashClientError(error, { endpoint: this.endpoint, body: JSON.stringify(body) });
    }
  }
}

function requesterOf(client: Redis | Requester): Requester {
  if (typeof (client as Partial<Requester>).request === 'function') return client as Requester;
  // `client` is a protected field of @upstash/redis' Redis; it has held the requester since 1.0.
  const requester: unknown = (client as unknown as { client?: unknown }).client;
  if (typeof (requester as Partial<Requester> | undefined)?.request !== 'function') {
    throw new TypeError('createUpstashDriver needs an @upstash/redis Redis client (or a Requester)');
  }
  return requester as Requester;
}
