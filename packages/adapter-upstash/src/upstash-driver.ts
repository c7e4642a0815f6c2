import {
  type BatchItemResult,
  type BatchOptions,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type DriverCapabilities,
  type DriverMessage,
  type DriverSubscription,
  evalWithFallback,
  type LuaScript,
  type RedisArg,
  RedisCapabilityError,
  RedisClosedError,
  type RedisCommand,
  type RedisDriver,
  RedisError,
  type RedisReply,
  RedisReplyError,
  RedisSerializationError,
  type SendOptions,
} from '@redis-service/core';
import { checkTimeout } from '@redis-service/core/adapter';
import type { Redis, Requester } from '@upstash/redis';
import { UpstashClientTransport } from './client-transport.js';
import { encodeCommand } from './encode-command.js';
import { serverError, unreachableError, unreadableError } from './map-error.js';
import { normalizeReply } from './normalize-reply.js';
import { OrderedDispatcher } from './ordered-dispatcher.js';
import type { RestTransport } from './rest-transport.js';
import type { UpstashSseSubscriber } from './sse-subscriber.js';

/**
 * What the Upstash driver can do over its own `fetch` transport. Transactions are `/multi-exec`,
 * scripts EVAL/EVALSHA. Not offered over REST: binary values (arguments travel as JSON text, so
 * arbitrary bytes cannot), search, and `blocking`: the REST API does serve BLPOP & co (the request
 * is held until the server timeout), but no connection outlives a request, so there is no client
 * id to `CLIENT UNBLOCK` and no connection to WATCH on; an aborted request could still pop an
 * element whose reply nobody reads, and core promises that an element is never lost. Blocking
 * pops and `watch` therefore reject with `RedisCapabilityError` before any request. `pubsub` is
 * declared by a driver given a `subscriber` (event streams, as `createUpstashDriverFromUrl` builds
 * it), whatever this manifest says. Over an @upstash/redis client `exactIntegers` is `false` as
 * well (see `UPSTASH_CLIENT_CAPABILITIES`).
 */
export const UPSTASH_CAPABILITIES: DriverCapabilities = Object.freeze({
  transactions: true,
  scripting: true,
  pubsub: false,
  binary: false,
  blocking: false,
  search: false,
  exactIntegers: true,
  cluster: false,
  shardedPubsub: false,
});

/**
 * What the Upstash driver can do over an @upstash/redis client: the same as over `fetch`, except
 * that integers beyond 2^53 cannot arrive exact (the client's `JSON.parse` rounds them), so such a
 * reply is refused with `RedisSerializationError`.
 */
export const UPSTASH_CLIENT_CAPABILITIES: DriverCapabilities = Object.freeze({
  ...UPSTASH_CAPABILITIES,
  exactIntegers: false,
});

/** Options of `createUpstashDriver`. */
export interface UpstashDriverOptions {
  /**
   * How long a call may wait for its reply, and one HTTP request may take, before it is given up
   * with `RedisTimeoutError` (ms). Default 5000. `0` disables it: then a request the service never
   * answers holds up every later call (they are sent in order, one request at a time).
   */
  readonly commandTimeoutMs?: number;
  /** The driver's name in messages and reports. Default `upstash`. */
  readonly name?: string;
  /**
   * Pub/sub over the service's event-stream endpoints; without it the driver does not declare
   * `pubsub`. `createUpstashDriverFromUrl` builds one.
   */
  readonly subscriber?: UpstashSseSubscriber;
}

/**
 * The driver port over the Upstash REST API. A command goes as `POST /`, a pipeline as
 * `POST /pipeline`, a transaction as `POST /multi-exec`; replies are normalized to `RedisReply`
 * (integers beyond 2^53 exact as `bigint` when the transport reads them exactly, see
 * `RestTransport.exactIntegers`).
 *
 * Calls are sent one HTTP request at a time, in the order they were made, and calls made while a
 * request is out are coalesced into the next one (see `OrderedDispatcher`): commands run in issue
 * order, as on a Redis connection, which independent concurrent HTTP requests would not give.
 *
 * Closing the driver aborts the request in flight and rejects every pending call with
 * `RedisClosedError`; the caller's signal takes its call out (`RedisAbortedError`) and
 * `commandTimeoutMs` bounds each call and each request (`RedisTimeoutError`). Binary values are
 * refused with `RedisCapabilityError` before any request. Nothing here uses a Node API: it runs on
 * edge runtimes.
 */
export class UpstashDriver implements RedisDriver {
  /** A short name for messages and reports. */
  readonly name: string;
  /**
   * Transactions and scripting, pub/sub with a `subscriber`; no binary values, blocking commands or search. Exact
   * integers beyond 2^53 when the transport reads them exactly (`RestTransport.exactIntegers`).
   */
  readonly capabilities: DriverCapabilities;
  readonly #endpoint: string;
  readonly #dispatcher: OrderedDispatcher;
  #closed = false;
  readonly #subscriber: UpstashSseSubscriber | undefined;

  /**
   * @param transport how requests reach the service (see `createUpstashDriver`,
   *   `createUpstashDriverFromUrl`)
   */
  constructor(transport: RestTransport, options: UpstashDriverOptions = {}) {
    this.name = options.name ?? 'upstash';
    const base = transport.exactIntegers ? UPSTASH_CAPABILITIES : UPSTASH_CLIENT_CAPABILITIES;
    this.#subscriber = options.subscriber;
    this.capabilities = this.#subscriber ? Object.freeze({ ...base, pubsub: true }) : base;
    this.#endpoint = transport.endpoint;
    const timeoutMs = checkTimeout(
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      'commandTimeoutMs',
    );
    this.#dispatcher = new OrderedDispatcher(transport, timeoutMs, this.name);
  }

  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    let argv: string[];
    try {
      this.#checkOpen();
      if (options?.binary) throw new RedisCapabilityError('binary', this.name, 'reading a value as bytes');
      argv = encodeCommand(command, this.name);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#dispatcher.submit('command', [argv], options?.signal).then(normalizeReply);
  }

  async batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    this.#checkOpen();
    if (options.binary) throw new RedisCapabilityError('binary', this.name, 'reading values as bytes');
    const argvs = commands.map((command) => encodeCommand(command, this.name));
    if (argvs.length === 0) return [];
    let response: unknown;
    try {
      response = await this.#dispatcher.submit(
        options.transaction ? 'transaction' : 'pipeline',
        argvs,
        options.signal,
      );
    } catch (error) {
      // The service refused the batch as a whole (a transaction discarded with EXECABORT): no
      // command ran, and each one reports why.
      if (error instanceof RedisReplyError) return argvs.map(() => ({ ok: false, error }));
      throw error;
    }
    return this.#batchResults(response, argvs.length);
  }

  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(
      (command, sendOptions) => this.send(command, sendOptions),
      script,
      keys,
      args,
      options,
    );
  }

  /**
   * Subscribes over the service's event streams (see `UpstashSseSubscriber`); needs the
   * `subscriber` option, which `createUpstashDriverFromUrl` gives.
   */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    try {
      this.#checkOpen();
      if (!this.#subscriber) throw new RedisCapabilityError('pubsub', this.name, 'subscribing');
      return this.#subscriber.subscribe(target, onMessage);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Aborts the request in flight; pending and later calls reject with `RedisClosedError`. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#subscriber?.close();
      this.#dispatcher.close();
    }
    return Promise.resolve();
  }

  #checkOpen(): void {
    if (this.#closed) throw new RedisClosedError(`the ${this.name} driver is closed`);
  }

  #batchResults(response: unknown, count: number): BatchItemResult[] {
    if (!Array.isArray(response)) {
      throw unreadableError(this.#endpoint, 'a batch response must be a JSON array');
    }
    if (response.length !== count) {
      throw new RedisSerializationError(
        `the Upstash REST endpoint ${this.#endpoint} returned ${response.length} results for a batch of ${count} commands`,
      );
    }
    return response.map((item: unknown): BatchItemResult => {
      if (typeof item !== 'object' || item === null) {
        return { ok: false, error: unreadableError(this.#endpoint, 'a batch entry is not an object') };
      }
      const { result, error } = item as { result?: unknown; error?: unknown };
      if (typeof error === 'string') return { ok: false, error: serverError(this.#endpoint, error) };
      try {
        return { ok: true, value: normalizeReply(result) };
      } catch (failure) {
        return {
          ok: false,
          error: failure instanceof RedisError ? failure : unreachableError(this.#endpoint, failure),
        };
      }
    });
  }
}

/**
 * The driver over an @upstash/redis client you built (`new Redis({ url, token, ... })`) or any
 * `Requester`. The driver posts through the client's requester (see `UpstashClientTransport`), so
 * the client's own retry and encoding settings apply. Build it with `retry: { retries: 0 }`: its
 * default retries a dead endpoint for about 4 s, and it retries any network failure, even one
 * after which the command may already have run (an INCR could count twice). Integers beyond
 * 2^53 cannot arrive exactly through it (its `JSON.parse` rounds them): the driver declares
 * `exactIntegers: false` and refuses such a reply with `RedisSerializationError`;
 * `createUpstashDriverFromUrl` reads them exactly.
 */
export function createUpstashDriver(
  client: Redis | Requester,
  options: UpstashDriverOptions = {},
): UpstashDriver {
  return new UpstashDriver(new UpstashClientTransport(client), options);
}
