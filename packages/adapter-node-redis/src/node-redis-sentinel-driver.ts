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
  RedisReplyError,
  RedisValidationError,
  type SendOptions,
} from '@redis-service/core';
import { InflightCalls, timeoutFailure } from '@redis-service/core/adapter';
import { type BatchReader, sendBatch } from './batch-results.js';
import { checkTimeout } from './check-options.js';
import { encodeCommand } from './encode-command.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './fail-fast-options.js';
import { mapNodeRedisError } from './map-error.js';
import type { NodeRedisClient, NodeRedisCommandOptions } from './node-redis-client.js';
import { NodeRedisDedicatedConnection } from './node-redis-dedicated.js';
import { NODE_REDIS_CAPABILITIES } from './node-redis-driver.js';
import type { NodeRedisSentinel } from './node-redis-sentinel.js';
import { NodeRedisSentinelSubscriber } from './node-redis-sentinel-subscriber.js';
import { REPLY_TYPE_MAPPING } from './normalize-reply.js';
import { normalizeCommandReply } from './resp3-shapes.js';
import { SentinelGate } from './sentinel-gate.js';

/** Options of a `NodeRedisSentinelDriver`. */
export interface NodeRedisSentinelDriverOptions {
  /** The master name the sentinel was built with (its `name`), for messages and `RedisUnknownMasterError`. */
  readonly masterName: string;
  /** The sentinels, as `host:port` text, for messages. */
  readonly sentinels?: readonly string[];
  /** The driver's name in messages and reports. Default `node-redis`. */
  readonly name?: string;
  /**
   * How long a command (or batch) may wait for its reply, finding the primary included, in
   * milliseconds, before it rejects with `RedisTimeoutError`. `0` disables it. Default 5000.
   */
  readonly commandTimeoutMs?: number;
  /** How long opening a dedicated connection may take (ms). Default 2000. */
  readonly connectTimeoutMs?: number;
}

// Replies of a node that is no longer (or not yet) the primary: the sentinels must be asked again.
const FAILOVER_REPLY_PREFIXES: ReadonlySet<string> = new Set(['READONLY', 'MASTERDOWN']);

const SEND_OPTIONS: NodeRedisCommandOptions = Object.freeze({ typeMapping: REPLY_TYPE_MAPPING });

/**
 * The driver port over a node-redis sentinel (`createSentinel()` from `redis` 6): node-redis asks the
 * sentinels for the primary, watches them (`+switch-master`) and moves to the new primary; the
 * driver sends every command to the primary's client it is handed (`_execute`), with the same reply
 * normalization and error mapping as `NodeRedisDriver`, and:
 *
 * - opens the sentinel on the first command, and again after a failed attempt (`SentinelGate`), so a
 *   dead group fails fast with `RedisConnectionError` and is picked up when it is back;
 * - drops the primary's client when it answers READONLY or MASTERDOWN (a demoted node), so the next
 *   command asks the sentinels again; the reply itself is the caller's error;
 * - says `RedisConnectionLostError` for a command lost after it was written (it may have run).
 *
 * Build the sentinel with `maxCommandRediscovers: 0` (otherwise node-redis sends a command again
 * after its connection dropped, though it may have run), `reserveClient: true` (otherwise
 * concurrent commands can leave in another order than they were issued), and no `keyPrefix` (the
 * service prefixes keys itself). `createNodeRedisSentinelDriver` does all of that.
 *
 * A raw `SELECT` is refused: the sentinel's clients select `nodeClientOptions.database` again on
 * every new primary, so a SELECT would last only until the next failover.
 */
export class NodeRedisSentinelDriver implements RedisDriver {
  /** A short name for messages and reports. */
  readonly name: string;
  /** Transactions, scripting, pub/sub, binary values and blocking commands; search is detected. */
  readonly capabilities: DriverCapabilities = NODE_REDIS_CAPABILITIES;
  readonly #sentinel: NodeRedisSentinel;
  readonly #endpoint: string;
  readonly #gate: SentinelGate;
  readonly #calls: InflightCalls;
  readonly #commandTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #subscriber: NodeRedisSentinelSubscriber;
  readonly #send = this.send.bind(this);
  #closing: Promise<void> | undefined;

  /**
   * @param sentinel a node-redis sentinel, open or not; the driver destroys it on `close()`
   * @param options the master name, the driver's name and timeouts
   */
  constructor(sentinel: NodeRedisSentinel, options: NodeRedisSentinelDriverOptions) {
    this.name = options.name ?? 'node-redis';
    this.#sentinel = sentinel;
    const via = options.sentinels?.length ? ` via sentinels ${options.sentinels.join(', ')}` : '';
    this.#endpoint = `'${options.masterName}'${via}`;
    this.#commandTimeoutMs = checkTimeout(
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      'commandTimeoutMs',
    );
    this.#connectTimeoutMs = checkTimeout(
      options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      'connectTimeoutMs',
    );
    this.#calls = new InflightCalls({
      describe: `the node-redis driver for ${this.#endpoint}`,
      timeoutMs: this.#commandTimeoutMs,
      timeoutError: () => timeoutFailure(this.#endpoint, this.#commandTimeoutMs),
    });
    this.#gate = new SentinelGate(sentinel, { endpoint: this.#endpoint, masterName: options.masterName });
    this.#subscriber = new NodeRedisSentinelSubscriber(
      sentinel,
      (error) => this.#mapError(error),
      () => this.#gate.whenOpen(),
    );
  }

  /** The node-redis sentinel under this driver (for what the port does not cover). */
  get sentinel(): NodeRedisSentinel {
    return this.#sentinel;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Opens the sentinel now instead of on the first command: asks the sentinels for the primary and
   * connects to it (a few round trips). Resolves when commands can be sent; rejects as a command
   * would (`RedisConnectionError`, `RedisUnknownMasterError`), and the next command tries again.
   */
  connect(): Promise<void> {
    try {
      this.#calls.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#gate.whenOpen() ?? Promise.resolve();
  }

  /** Sends one command to the primary and resolves with its normalized reply. */
  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    let args: (string | Buffer)[];
    try {
      this.#calls.assertOpen();
      args = encodeCommand(command);
      refuseSelect(args);
    } catch (error) {
      return Promise.reject(error);
    }
    const binary = options?.binary === true;
    const signal = options?.signal;
    const sendOptions = signal ? { ...SEND_OPTIONS, abortSignal: signal } : SEND_OPTIONS;
    const sent: SentOn = {};
    return this.#calls.track(
      signal,
      () =>
        this.#onPrimary(sent, (client) =>
          client.sendCommand(args, sendOptions).then((raw) => normalizeCommandReply(args[0], raw, binary)),
        ),
      (error) => this.#failed(error, sent),
    );
  }

  /**
   * Sends the commands to the primary as one chain on one client (MULTI/EXEC around them for a
   * transaction) and resolves with one result per command, as `NodeRedisDriver.batch` does.
   */
  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    let encoded: (string | Buffer)[][];
    try {
      this.#calls.assertOpen();
      encoded = commands.map(encodeCommand);
      for (const args of encoded) refuseSelect(args);
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded.length === 0) return Promise.resolve([]);
    const binary = options.binary === true;
    const sent: SentOn = {};
    const reader: BatchReader = {
      read: (index, raw) => normalizeCommandReply(encoded[index]![0], raw, binary),
      mapError: (error) => this.#failed(error, sent),
    };
    return this.#calls.track(
      options.signal,
      () =>
        this.#onPrimary(sent, (client) => sendBatch(client, encoded, options.transaction === true, reader)),
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

  /** Subscribes on the sentinel's pub/sub connection, which follows the primary (see `NodeRedisSentinelSubscriber`). */
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
   * Opens a dedicated connection to the current primary: a duplicate of its client (same TLS,
   * credentials, database), pinned to RESP2, without a command timeout and never reconnected, so a
   * failover ends it (see `NodeRedisDedicatedConnection`).
   */
  openDedicated(): Promise<DedicatedConnection> {
    try {
      this.#calls.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const sent: SentOn = {};
    return this.#calls
      .track(
        undefined,
        () => this.#onPrimary(sent, (client) => Promise.resolve(client)),
        (error) => this.#mapError(error),
      )
      .then((client) => NodeRedisDedicatedConnection.open(client, this.name, this.#connectTimeoutMs));
  }

  /**
   * Drops the primary's client now (see `RedisDriver.resetConnection`): the commands on it reject
   * with `RedisConnectionError` (`RedisConnectionLostError` when they had been written), and
   * node-redis asks the sentinels again before the next command. Core calls it when a health-check
   * PING after a timeout gets no answer.
   */
  resetConnection(_reason: Error): void {
    if (this.#closing || !this.#sentinel.isOpen) return;
    this.#sentinel
      ._execute(false, async (client) => {
        client.destroy();
      })
      .catch(() => {
        // No primary client to drop: the next command finds one.
      });
  }

  /**
   * Closes the driver and destroys its sentinel. Commands in flight (or waiting for a primary)
   * reject with `RedisClosedError` at once, as do later ones. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#calls.close();
      this.#gate.close();
      this.#subscriber.close();
      this.#closing = this.#sentinel.destroy().catch(() => {
        // Already torn down: nothing left to close.
      });
    }
    return this.#closing;
  }

  /** Runs `start` with the primary's client once the sentinel is open, recording that client in `sent`. */
  #onPrimary<T>(sent: SentOn, start: (client: NodeRedisClient) => Promise<T>): Promise<T> {
    const run = () =>
      this.#sentinel._execute(false, (client) => {
        this.#calls.assertOpen();
        sent.client = client;
        // node-redis hands over a ready client: it writes what it is given now.
        sent.written = client.isReady;
        return start(client);
      });
    const waiting = this.#gate.whenOpen();
    return waiting === undefined ? run() : waiting.then(run);
  }

  /**
   * Maps the error of a call, and drops the primary's client when it answered READONLY or
   * MASTERDOWN, so that node-redis asks the sentinels again before the next command. Nothing is resent.
   */
  #failed(error: unknown, sent: SentOn): RedisError {
    const mapped = this.#mapError(error, sent.written === true);
    const client = sent.client;
    if (
      client !== undefined &&
      mapped instanceof RedisReplyError &&
      FAILOVER_REPLY_PREFIXES.has(mapped.prefix) &&
      client.isOpen &&
      this.#closing === undefined
    ) {
      client.destroy();
    }
    return mapped;
  }

  #mapError(error: unknown, written = false): RedisError {
    return mapNodeRedisError(error, {
      endpoint: this.#endpoint,
      lastConnectionError: this.#gate.lastError,
      closed: this.#closing !== undefined,
      written,
    });
  }
}

/** The primary's client a call was handed, and whether it was ready (so it wrote the call). */
interface SentOn {
  client?: NodeRedisClient;
  written?: boolean;
}

function refuseSelect(args: readonly (string | Buffer)[]): void {
  if (args[0] !== undefined && args[0].toString().toUpperCase() === 'SELECT') {
    throw new RedisValidationError(
      'SELECT is refused on a sentinel-managed driver: a new primary would not keep it; choose the database with the `db` option',
    );
  }
}
