import {
  RedisClosedError,
  RedisConnectionError,
  type RedisError,
  RedisTimeoutError,
  redactText,
} from '@redis-service/core';
import { LastConnectionError } from '@redis-service/core/adapter';
import { isReplyError, mapConnectError } from './map-error.js';
import type { NodeRedisClient } from './node-redis-client.js';

const noop = () => {};

/** Options of a `ConnectionGate`. */
export interface ConnectionGateOptions {
  /** `host:port` for messages. */
  readonly endpoint: string;
  /** How long one connect attempt (TCP and handshake) may take, in milliseconds; `0`: no bound. */
  readonly connectTimeoutMs: number;
}

/**
 * Connects a node-redis client on demand and decides, before each command, whether it may be sent.
 * node-redis needs `await client.connect()` before any command, and with its defaults `connect()`
 * never settles while the server is down; the gate makes that wait short and final:
 *
 * - ready: the command goes at once (no promise, no allocation);
 * - not open (never connected, the reconnect strategy gave up, or a timed-out attempt was
 *   abandoned): the gate starts `connect()` and every command waits for that one attempt, which
 *   ends with the client ready, with its first `error` event (`RedisConnectionError`), or after
 *   `connectTimeoutMs`;
 * - open but not ready after an error (node-redis is reconnecting on its own): the endpoint is
 *   known to be down, so the command fails at once with `RedisConnectionError` instead of waiting
 *   in node-redis' offline queue;
 * - open but not ready with no error yet (someone else's `connect()` is under way): it waits as above.
 *
 * The gate keeps an `error` listener on the client for the client's whole life: node-redis emits
 * `error` for every failed attempt and lost connection, and an EventEmitter with no listener would
 * throw it and crash the process.
 */
export class ConnectionGate {
  readonly #client: NodeRedisClient;
  readonly #options: ConnectionGateOptions;
  #waiting: Promise<void> | undefined;
  #cancelWait: ((error: RedisError) => void) | undefined;
  readonly #connection: LastConnectionError;
  #abandoned: Promise<void> | undefined;
  #closed = false;

  constructor(client: NodeRedisClient, options: ConnectionGateOptions) {
    this.#client = client;
    this.#options = options;
    this.#connection = new LastConnectionError(client);
    client.on('error', (error: unknown) => {
      // node-redis drops a connection before it reports the loss, so an error while still ready
      // that is not a server's reply is one it survived: bytes it could not decode (it resets its
      // decoder and carries on), or a failed keep-alive PING. Replies can no longer be matched to
      // commands, so the connection is destroyed: the commands on it fail now, not at their
      // timeout, and the next command connects afresh.
      if (client.isReady && !isReplyError(error)) this.#destroy();
    });
  }

  /** The last connection error the client emitted since it was last ready, if any. */
  get lastError(): Error | undefined {
    return this.#connection.error;
  }

  /**
   * `undefined` when the client is ready now; otherwise a promise that resolves once it is, or
   * rejects with `RedisConnectionError` / `RedisTimeoutError` (`RedisClosedError` after `close()`).
   * Concurrent callers share one connect attempt.
   */
  whenReady(): Promise<void> | undefined {
    if (this.#client.isReady) return undefined;
    if (!this.#waiting) {
      const waiting = this.#becomeReady();
      const clear = () => {
        if (this.#waiting === waiting) this.#waiting = undefined;
      };
      waiting.then(clear, clear);
      this.#waiting = waiting;
    }
    return this.#waiting;
  }

  /**
   * Drops the connection now (it looks half-open): the client is destroyed, so the commands on it
   * reject at once, and the next command connects afresh. `reason` explains their failure.
   */
  reset(reason: Error): void {
    if (this.#closed || !this.#client.isOpen) return;
    this.#connection.record(reason);
    this.#destroy();
  }

  /** Stops waiting: a pending wait rejects with `RedisClosedError`, and later calls too. */
  close(): void {
    this.#closed = true;
    this.#cancelWait?.(this.#closedError());
  }

  #becomeReady(): Promise<void> {
    const client = this.#client;
    if (this.#closed) return Promise.reject(this.#closedError());
    const abandoned = this.#abandoned;
    if (abandoned) {
      // node-redis' connect loop checks whether the client is open when it unwinds, and would tear
      // down a new attempt started before; its last `error` event must not fail the new one either.
      this.#abandoned = undefined;
      return abandoned.then(() => this.#becomeReady());
    }
    const lastError = this.#connection.error;
    if (client.isOpen && lastError) {
      // A refusal of the credentials stays what it is; anything else is "reconnecting".
      if (isReplyError(lastError)) return Promise.reject(mapConnectError(lastError, this.#options.endpoint));
      return Promise.reject(
        new RedisConnectionError(
          `redis connection to ${this.#options.endpoint} failed: not connected, the client is reconnecting after: ${redactText(lastError.message)}`,
          { cause: lastError },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      let reachedServer = false;
      let settled = false;
      const onReady = () => finish(undefined);
      const onError = (error: unknown) => finish(mapConnectError(error, this.#options.endpoint));
      const onConnect = () => {
        reachedServer = true;
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error: RedisError | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('connect', onConnect);
        this.#cancelWait = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.#cancelWait = finish;
      const { connectTimeoutMs } = this.#options;
      let attempt: Promise<unknown> | undefined;
      if (connectTimeoutMs > 0) {
        timer = setTimeout(() => this.#timedOut(finish, reachedServer, attempt), connectTimeoutMs);
        timer.unref();
      }
      client.on('ready', onReady);
      client.on('error', onError);
      client.on('connect', onConnect);
      if (!client.isOpen) {
        try {
          attempt = client.connect();
        } catch (error) {
          attempt = Promise.reject(error);
        }
        attempt.then(
          () => finish(undefined),
          (error: unknown) => finish(mapConnectError(error, this.#options.endpoint)),
        );
      }
    });
  }

  /**
   * The attempt took too long. A server that accepted the connection but did not answer the
   * handshake is a timeout; one never reached is a connection failure (node-redis' own socket
   * `connectTimeout` ends that attempt). A handshake the gate started is abandoned (the client
   * destroyed), so that the next command starts a fresh attempt instead of waiting on a dead one.
   */
  #timedOut(
    finish: (error: RedisError) => void,
    reachedServer: boolean,
    attempt: Promise<unknown> | undefined,
  ): void {
    const { endpoint, connectTimeoutMs } = this.#options;
    finish(
      reachedServer
        ? new RedisTimeoutError(
            `redis at ${endpoint}: connected, but the server did not answer the handshake within ${connectTimeoutMs} ms`,
            connectTimeoutMs,
          )
        : new RedisConnectionError(
            `redis connection to ${endpoint} failed: not connected within ${connectTimeoutMs} ms`,
          ),
    );
    if (reachedServer && attempt && !this.#client.isReady) {
      this.#abandoned = attempt.then(noop, noop);
      this.#destroy();
    }
  }

  #destroy(): void {
    try {
      this.#client.destroy();
    } catch {
      // Nothing left to tear down.
    }
  }

  #closedError(): RedisClosedError {
    return new RedisClosedError(`the node-redis driver for ${this.#options.endpoint} is closed`);
  }
}
