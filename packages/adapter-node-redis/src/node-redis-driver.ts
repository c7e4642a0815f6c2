import {
  type BatchItemResult,
  type BatchOptions,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type DedicatedConnection,
  type DriverCapabilities,
  type DriverMessage,
  type DriverSubscription,
  evalWithFallback,
  type LuaScript,
  type RedisArg,
  type RedisCommand,
  type RedisDriver,
  type RedisError,
  type RedisReply,
  RedisValidationError,
  redactText,
  type SendOptions,
} from '@redis-service/core';
import { InflightCalls, timeoutFailure } from '@redis-service/core/adapter';
import { createClient } from 'redis';
import { type BatchReader, sendBatch } from './batch-results.js';
import { checkTimeout, checkUrl } from './check-options.js';
import { ConnectionGate } from './connection-gate.js';
import { encodeCommand } from './encode-command.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  failFastOptions,
  type NodeRedisClientOptions,
} from './fail-fast-options.js';
import { mapNodeRedisError } from './map-error.js';
import {
  describeEndpoint,
  type NodeRedisClient,
  type NodeRedisCommandOptions,
  nodeRedisCommandTimeout,
} from './node-redis-client.js';
import { NodeRedisDedicatedConnection } from './node-redis-dedicated.js';
import { NodeRedisSubscriber } from './node-redis-subscriber.js';
import { REPLY_TYPE_MAPPING } from './normalize-reply.js';
import { normalizeCommandReply } from './resp3-shapes.js';

/** What the node-redis driver can do. Pub/sub runs on a dedicated duplicate connection. */
export const NODE_REDIS_CAPABILITIES: DriverCapabilities = Object.freeze({
  transactions: true,
  scripting: true,
  pubsub: true,
  binary: true,
  blocking: true,
  search: 'detect',
  exactIntegers: true,
  cluster: false,
  shardedPubsub: false,
  tracking: true,
});

/** Options of `createNodeRedisDriver`. */
export interface NodeRedisDriverOptions {
  /** The driver's name in messages and reports. Default `node-redis`. */
  readonly name?: string;
  /**
   * How long a command (or batch) may wait for its reply, connecting included, in milliseconds,
   * before it rejects with `RedisTimeoutError`. `0` disables it. Default 5000.
   */
  readonly commandTimeoutMs?: number;
  /**
   * How long one connect attempt (TCP, TLS and the handshake) may take, in milliseconds, before
   * the commands waiting for it reject and the attempt is abandoned. `0` disables it. Default 2000.
   */
  readonly connectTimeoutMs?: number;
  /**
   * How long the subscriber connection may receive nothing before it is pinged, in milliseconds;
   * a ping with no answer within `commandTimeoutMs` has the connection replaced and every channel
   * and pattern subscribed again, so a half-open connection is noticed within about twice the
   * command timeout. `0` never pings. Default: `commandTimeoutMs` (5000 when that is `0`).
   */
  readonly subscriberPingIntervalMs?: number;
}

/** Options of `createNodeRedisDriverFromUrl`. */
export interface NodeRedisDriverFromUrlOptions {
  /**
   * `redis://[user:password@]host[:port][/db]`, `rediss://...` (TLS) or `unix:/path`. A `URL`
   * object works too. The password is used to connect and never appears in a message.
   */
  readonly url: string | URL;
  /** The driver's command timeout (ms), see `NodeRedisDriverOptions`. `0` disables it. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How long a connect attempt may take (ms), see `NodeRedisDriverOptions`. Default 2000. */
  readonly connectTimeoutMs?: number;
  /** Ping the subscriber connection after this long without traffic (ms), see `NodeRedisDriverOptions`. */
  readonly subscriberPingIntervalMs?: number;
  /**
   * More node-redis options (TLS settings, `database`, `name`, ...). They override the fail-fast
   * defaults of `failFastOptions` (`socket` options are merged), so changing `RESP`,
   * `socket.reconnectStrategy` or `disableOfflineQueue` changes how the client behaves; replies
   * stay normalized and a dead endpoint still fails fast through the driver.
   */
  readonly clientOptions?: NodeRedisClientOptions;
}

// One frozen options object for every plain command: node-redis merges it per call anyway.
const SEND_OPTIONS: NodeRedisCommandOptions = Object.freeze({ typeMapping: REPLY_TYPE_MAPPING });

/**
 * The driver port over a node-redis 6 client (`createClient()` from `redis`). Every command goes
 * through `sendCommand` with the driver's own type mapping (`REPLY_TYPE_MAPPING`), which overrides
 * the client's for that command, so replies are exact and normalized the same over RESP2 and RESP3
 * (see `normalizeReply`; RESP2 is still the better choice: over RESP3 a map key that is not valid
 * UTF-8 cannot be restored, and a double's text is JavaScript's, not the server's).
 *
 * Connecting is lazy: the driver calls `connect()` itself when a command finds the client
 * disconnected, and a refused or failed attempt rejects the commands waiting for it with
 * `RedisConnectionError` at once (see `ConnectionGate`). The next command tries again, so a server
 * that comes up later, or restarts, is reached without anyone calling `connect()`. A client that
 * is already connected is used as it is.
 *
 * Batches are sent as one chain of `sendCommand`s (node-redis' `chainId`), MULTI and EXEC around
 * them for a transaction, so that every command keeps its own reply or error (node-redis'
 * `multi().exec()` and `execAsPipeline()` reject as a whole on the first error) and a chain cut by
 * a lost connection is never resent half on another connection.
 *
 * A raw `SELECT <db>` goes through `client.select()`, so node-redis selects that database again
 * after a reconnect. Do not give the client a `keyPrefix`: `sendCommand` ignores it anyway.
 *
 * Closing the driver destroys the client it was given (`client.destroy()`): the driver owns the
 * client from then on.
 */
export class NodeRedisDriver implements RedisDriver {
  /** A short name for messages and reports. */
  readonly name: string;
  /** Transactions, scripting, pub/sub, binary values and blocking commands; search is detected. */
  readonly capabilities: DriverCapabilities = NODE_REDIS_CAPABILITIES;
  readonly #client: NodeRedisClient;
  readonly #endpoint: string;
  readonly #gate: ConnectionGate;
  readonly #commandTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #calls: InflightCalls;
  readonly #send = this.send.bind(this);
  readonly #subscriber: NodeRedisSubscriber;
  #closing: Promise<void> | undefined;

  /**
   * @param client a node-redis client, connected or not; the driver destroys it on `close()`
   * @param options the driver's name and timeouts
   */
  constructor(client: NodeRedisClient, options: NodeRedisDriverOptions = {}) {
    this.name = options.name ?? 'node-redis';
    this.#client = client;
    this.#endpoint = describeEndpoint(client);
    this.#commandTimeoutMs = checkTimeout(
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      'commandTimeoutMs',
    );
    this.#calls = new InflightCalls({
      describe: `the node-redis driver for ${this.#endpoint}`,
      timeoutMs: this.#commandTimeoutMs,
      timeoutError: () => timeoutFailure(this.#endpoint, this.#commandTimeoutMs),
    });
    this.#connectTimeoutMs = checkTimeout(
      options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      'connectTimeoutMs',
    );
    this.#subscriber = new NodeRedisSubscriber(client, {
      endpoint: this.#endpoint,
      commandTimeoutMs: this.#commandTimeoutMs,
      pingIntervalMs: checkTimeout(
        options.subscriberPingIntervalMs ?? (this.#commandTimeoutMs || DEFAULT_COMMAND_TIMEOUT_MS),
        'subscriberPingIntervalMs',
      ),
    });
    this.#gate = new ConnectionGate(client, {
      endpoint: this.#endpoint,
      connectTimeoutMs: this.#connectTimeoutMs,
    });
  }

  /** The node-redis client under this driver (for what the port does not cover). */
  get client(): NodeRedisClient {
    return this.#client;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Sends one command and resolves with its normalized reply. */
  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    let args: (string | Buffer)[];
    try {
      this.#calls.assertOpen();
      args = encodeCommand(command);
    } catch (error) {
      return Promise.reject(error);
    }
    const binary = options?.binary === true;
    const signal = options?.signal;
    const sendOptions = signal ? { ...SEND_OPTIONS, abortSignal: signal } : SEND_OPTIONS;
    let written = false;
    return this.#calls.track(
      signal,
      () =>
        this.#whenReady(() => {
          // The client is ready: node-redis writes the command now, so a lost connection may follow it.
          written = this.#client.isReady;
          if (isSelect(args)) return this.#client.select(Number(args[1])).then(() => 'OK');
          return this.#client
            .sendCommand(args, sendOptions)
            .then((raw) => normalizeCommandReply(args[0], raw, binary));
        }),
      (error) => this.#mapError(error, written),
    );
  }

  /**
   * Sends the commands as one chain (one write, one round trip), wrapped in MULTI/EXEC when
   * `transaction` is set, and resolves with one result per command (see `transactionResults` for
   * how queue-time errors and EXECABORT are reported). Rejects as a whole only when the batch could
   * not be sent or read (connection lost, timeout).
   */
  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    let encoded: (string | Buffer)[][];
    try {
      this.#calls.assertOpen();
      encoded = commands.map(encodeCommand);
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded.length === 0) return Promise.resolve([]);
    const binary = options.binary === true;
    let written = false;
    const reader: BatchReader = {
      read: (index, raw) => normalizeCommandReply(encoded[index]![0], raw, binary),
      mapError: (error) => this.#mapError(error, written),
    };
    return this.#calls.track(
      options.signal,
      () =>
        this.#whenReady(() => {
          written = this.#client.isReady;
          return sendBatch(this.#client, encoded, options.transaction === true, reader);
        }),
      reader.mapError,
    );
  }

  /** Runs a Lua script with EVALSHA, falling back to EVAL when the server answers NOSCRIPT. */
  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(this.#send, script, keys, args, options);
  }

  /**
   * Subscribes on the driver's subscriber connection: a duplicate of the client (same options),
   * opened on the first subscription, shared by all of them, reconnected and resubscribed after a
   * loss (see `NodeRedisSubscriber`).
   */
  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
    onInterruption?: (event: 'lost' | 'restored') => void,
  ): Promise<DriverSubscription> {
    try {
      this.#calls.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#subscriber.subscribe(target, onMessage, onInterruption);
  }

  /**
   * Opens a dedicated connection: a duplicate of the client (same TLS, credentials, database),
   * pinned to RESP2, without a command timeout and never reconnected (see
   * `NodeRedisDedicatedConnection`).
   */
  openDedicated(): Promise<DedicatedConnection> {
    try {
      this.#calls.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return NodeRedisDedicatedConnection.open(this.#client, this.name, this.#connectTimeoutMs);
  }

  /**
   * Drops the client's connection now (see `RedisDriver.resetConnection`): the client is
   * destroyed, so the commands on it reject with `RedisConnectionError`, and the next command
   * connects again (see `ConnectionGate`). Core calls it when a health-check PING after a
   * timeout gets no answer.
   */
  resetConnection(reason: Error): void {
    if (this.#closing) return;
    this.#gate.reset(reason);
  }

  /**
   * Closes the driver and destroys its client. Commands in flight (or waiting for a connection)
   * reject with `RedisClosedError` at once, as do later ones. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#calls.close();
      this.#gate.close();
      this.#subscriber.close();
      try {
        this.#client.destroy();
      } catch {
        // Already torn down: nothing left to close.
      }
      this.#closing = Promise.resolve();
    }
    return this.#closing;
  }

  /** Runs `start` at once when the client is ready, else once the gate has connected it. */
  #whenReady<T>(start: () => Promise<T>): Promise<T> {
    const waiting = this.#gate.whenReady();
    if (waiting === undefined) return start();
    return waiting.then(() => {
      this.#calls.assertOpen();
      return start();
    });
  }

  #mapError(error: unknown, written = false): RedisError {
    return mapNodeRedisError(error, {
      endpoint: this.#endpoint,
      writeTimeoutMs: nodeRedisCommandTimeout(this.#client),
      lastConnectionError: this.#gate.lastError,
      closed: this.#closing !== undefined,
      written,
    });
  }
}

/**
 * Puts a node-redis client the caller built under the driver port. The client may be connected
 * already or not (the driver connects it when needed); closing the driver destroys it. See
 * `NodeRedisDriver` for how replies and connections are handled; `createNodeRedisDriverFromUrl`
 * builds a client with fail-fast options for you.
 *
 * ```ts
 * const driver = createNodeRedisDriver(createClient({ url: 'redis://127.0.0.1:6379', RESP: 2 }));
 * await using redis = new RedisService(driver);
 * ```
 */
export function createNodeRedisDriver(
  client: NodeRedisClient,
  options?: NodeRedisDriverOptions,
): NodeRedisDriver {
  return new NodeRedisDriver(client, options);
}

/**
 * Builds a node-redis client with fail-fast options (see `failFastOptions`) and the driver over
 * it. Nothing connects until the first command; a command to a closed port rejects with
 * `RedisConnectionError` within milliseconds, one to a server that never answers with
 * `RedisTimeoutError` after `commandTimeoutMs`.
 *
 * @throws RedisValidationError when the URL is not a redis URL, a timeout is not a number >= 0, or
 *   node-redis refuses the options (the message never shows the URL's credentials)
 */
export function createNodeRedisDriverFromUrl(options: NodeRedisDriverFromUrlOptions): NodeRedisDriver {
  const url = checkUrl(options.url);
  const commandTimeoutMs = checkTimeout(
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    'commandTimeoutMs',
  );
  const connectTimeoutMs = checkTimeout(
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    'connectTimeoutMs',
  );
  const { keyPrefix: _ignored, ...clientOptions } = (options.clientOptions ??
    {}) as NodeRedisClientOptions & {
    keyPrefix?: unknown;
  };
  let client: NodeRedisClient;
  try {
    client = createClient(failFastOptions({ url, connectTimeoutMs, clientOptions }));
  } catch (error) {
    // node-redis quotes the URL in some of these messages, and its URL parser keeps it as `input`:
    // the message is redacted and the error is not kept as a cause.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisValidationError(`node-redis refused the client options: ${redactText(reason)}`);
  }
  return new NodeRedisDriver(client, {
    commandTimeoutMs,
    connectTimeoutMs,
    ...(options.subscriberPingIntervalMs === undefined
      ? {}
      : { subscriberPingIntervalMs: options.subscriberPingIntervalMs }),
  });
}

function isSelect(args: readonly (string | Buffer)[]): boolean {
  const [name, db] = args;
  return (
    args.length === 2 &&
    name !== undefined &&
    name.length === 6 &&
    name.toString().toUpperCase() === 'SELECT' &&
    db !== undefined &&
    /^\d+$/.test(db.toString())
  );
}
