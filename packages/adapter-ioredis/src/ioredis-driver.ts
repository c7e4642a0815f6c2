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
  type SendOptions,
} from '@redis-service/core';
import {
  checkTimeout,
  InflightCalls,
  LastConnectionError,
  normalizeCommandReply,
  pipelineResults,
  settledFromErrorFirst,
  transactionResults,
} from '@redis-service/core/adapter';
import type { Redis } from 'ioredis';
import { type EncodedCommand, encodeCommand } from './encode-command.js';
import { IoredisDedicatedConnection } from './ioredis-dedicated.js';
import { IoredisSubscriber } from './ioredis-subscriber.js';
import { mapIoredisError } from './map-error.js';
import { checkMaxBatch, WriteCoalescer } from './write-coalescer.js';

/** What the ioredis driver can do. Pub/sub runs on a dedicated duplicate connection. */
export const IOREDIS_CAPABILITIES: DriverCapabilities = Object.freeze({
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

/** Options of `createIoredisDriver`. */
export interface IoredisDriverOptions {
  /** The driver's name in messages and reports. Default `ioredis`. */
  readonly name?: string;
  /**
   * Coalesce the commands sent in the same tick into few socket writes instead of one write
   * each: the client's socket is corked while they are sent and uncorked when a write is full or
   * the tick ends. Order is kept, and every command resolves as soon as its own reply arrives
   * (unlike an ioredis `pipeline()`, which resolves all its commands with the last reply).
   *
   * The writes adapt to the commands in flight. A command sent while Redis has nothing of this
   * driver's left to answer goes out at once, alone: one caller pays no wait, and Redis starts
   * while the rest of the tick is prepared. After it, a write of cheap commands holds up to
   * `maxBatch` (fewer system calls on both sides, which is where a busy client spends its time),
   * while a write that starts with a script (EVALSHA, EVAL, FCALL) holds at most as many
   * commands as are still unanswered ahead of it (1, 1, 2, 4, ...): a script costs Redis about
   * as much as Node spends preparing it, so Redis must not sit idle while Node fills a long
   * write. Commands sent while the client is not ready go through ioredis as they are.
   * Default `true`. (ioredis' own `enableAutoPipelining` does not handle `callBuffer`, which the
   * driver needs.)
   */
  readonly coalesce?: boolean;
  /** The most commands one coalesced write holds, however many are in flight. Default 128. */
  readonly maxBatch?: number;
  /**
   * How long the subscriber connection may receive nothing before it is pinged, in milliseconds;
   * a ping with no answer within the client's `commandTimeout` has the connection replaced and
   * every channel and pattern subscribed again, so a half-open connection is noticed within about
   * twice that. `0` never pings. Default: the client's `commandTimeout`, else 5000.
   */
  readonly subscriberPingIntervalMs?: number;
}

// A safety net only: 'end' normally follows within a tick of the socket being destroyed.
const DISCONNECT_GRACE_MS = 3000;

// Replies of a node that is no longer (or not yet) the primary: the sentinels must be asked again.
const FAILOVER_REPLY_PREFIXES: ReadonlySet<string> = new Set(['READONLY', 'MASTERDOWN']);

// What `#readyMark` returns when the client is ready: whatever is sent now is written at once.
const READY_NOW = -1;

// What ioredis reports for a sentinel that does not monitor the master name: its nil answer to
// GET-MASTER-ADDR-BY-NAME, or its error reply to SENTINEL SENTINELS; and for a pass over the
// sentinels that found no primary.
const SENTINEL_NAMED_NO_PRIMARY = /successfully, but got an invalid reply|no such master/i;
const SENTINEL_PASS_FAILED = 'All sentinels are unreachable';

/** Whether `error` ends a pass in which a sentinel said it knows no primary by the master name. */
function endsPassWithoutPrimary(error: Error, sentinelsWithoutPrimary: number): boolean {
  return sentinelsWithoutPrimary > 0 && error.message.startsWith(SENTINEL_PASS_FAILED);
}

/**
 * The driver port over an ioredis 6 client (`Redis`). Every command goes through `callBuffer`
 * under its uppercase name, so replies arrive raw and are normalized here:
 *
 * - integers are exact (`number`, or `bigint` beyond 2^53) when the client has
 *   `stringNumbers: true`, as the factories set. **Without `stringNumbers`, ioredis decodes
 *   integers as JS numbers, so integers beyond 2^53 have already lost precision** (they still come
 *   out as `bigint`, but rounded);
 * - RESP2 and RESP3 clients give the same shapes. With `protocol: 3` and the default
 *   `replyMapping: 'legacy'` nothing is lost; with `replyMapping: 'resp3'` maps and booleans are
 *   folded back, but a RESP3 double with an integral value (a ZSCORE of `3`) cannot be told from an
 *   integer and comes out as a `number`. With `protocol: 3` and `stringNumbers`, the same holds
 *   for every double. Prefer `protocol: 2` (the factories' choice) for exact replies;
 * - errors are mapped by `mapIoredisError`.
 *
 * The driver adds an `error` listener to the client (which also silences ioredis'
 * "Unhandled error event" log): connection errors reach callers through their commands, and the
 * last one explains a failed command's message. Do not give the client a `keyPrefix`: the service
 * applies its own, and ioredis would add the client's on top.
 *
 * Blocking commands and WATCH belong on dedicated connections (`openDedicated`, which
 * `RedisService` pools for `blpop`, `watch`, ...): sent through `send`, a blocking command holds
 * the client's one connection, commands sent meanwhile wait behind it, and the client's
 * `commandTimeout` applies to it too.
 *
 * Closing the driver disconnects the client it was given (`client.disconnect()`): the driver owns
 * the client from then on. `createIoredisService` and `createIoredisDriverFromUrl` build a client
 * with fail-fast options for you and are the common path.
 */
export class IoredisDriver implements RedisDriver {
  /** A short name for messages and reports. */
  readonly name: string;
  /** Transactions, scripting, pub/sub, binary values and blocking commands; search is detected. */
  readonly capabilities: DriverCapabilities = IOREDIS_CAPABILITIES;
  readonly #client: Redis;
  readonly #endpoint: string;
  readonly #calls: InflightCalls;
  readonly #connection: LastConnectionError;
  #closing: Promise<void> | undefined;
  // The coalesced writes (see `IoredisDriverOptions.coalesce`); undefined when coalescing is off.
  readonly #writes: WriteCoalescer | undefined;
  readonly #subscriber: IoredisSubscriber;
  /** How many times the client became ready: tells a command that waited offline whether it was written since. */
  #readyCount = 0;
  /** The master name when the client finds its primary through sentinels (`sentinels` and `name`). */
  readonly #masterName: string | undefined;
  /** Whether an ended sentinel-managed client is connected again by the next command (see `#connectIfEnded`). */
  readonly #resumeWhenEnded: boolean;
  /** Sentinels that said, in the current pass, that they know no primary by the master name. */
  #sentinelsWithoutPrimary = 0;
  /** The errors that ended a pass in which every sentinel answered without naming a primary. */
  readonly #noPrimaryNamed = new WeakSet<Error>();

  /**
   * @param client an ioredis `Redis` client; the driver closes it on `close()`
   * @param options the driver's name
   */
  constructor(client: Redis, options: IoredisDriverOptions = {}) {
    this.name = options.name ?? 'ioredis';
    const maxBatch = checkMaxBatch(options.maxBatch);
    this.#writes = options.coalesce === false ? undefined : new WriteCoalescer(maxBatch);
    this.#client = client;
    this.#masterName = sentinelMasterName(client);
    this.#resumeWhenEnded = this.#masterName !== undefined && reconnectsAfterLoss(client);
    this.#endpoint = describeEndpoint(client);
    this.#calls = new InflightCalls({ describe: `the ioredis driver for ${this.#endpoint}` });
    this.#connection = new LastConnectionError(client);
    const commandTimeoutMs = client.options.commandTimeout || DEFAULT_COMMAND_TIMEOUT_MS;
    this.#subscriber = new IoredisSubscriber(client, (error, command) => this.#mapError(error, command), {
      pingIntervalMs: checkTimeout(
        options.subscriberPingIntervalMs ?? commandTimeoutMs,
        'subscriberPingIntervalMs',
      ),
      pingTimeoutMs: commandTimeoutMs,
      endpoint: this.#endpoint,
    });
    if (this.#masterName !== undefined) {
      client.on('error', (error: unknown) => {
        if (error instanceof Error && endsPassWithoutPrimary(error, this.#sentinelsWithoutPrimary)) {
          this.#noPrimaryNamed.add(error);
        }
      });
      client.on('connecting', () => {
        this.#sentinelsWithoutPrimary = 0;
      });
      client.on('sentinelError', (error: unknown) => {
        if (error instanceof Error && SENTINEL_NAMED_NO_PRIMARY.test(error.message)) {
          this.#sentinelsWithoutPrimary++;
        }
      });
    }
    client.on('ready', () => {
      this.#readyCount++;
    });
  }

  /** The ioredis client under this driver (for what the port does not cover). */
  get client(): Redis {
    return this.#client;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Sends one command and resolves with its normalized reply. */
  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    let encoded: EncodedCommand;
    try {
      this.#calls.assertOpen();
      encoded = encodeCommand(command);
    } catch (error) {
      return Promise.reject(error);
    }
    const binary = options?.binary === true;
    const { name, args } = encoded;
    this.#connectIfEnded();
    const mark = this.#readyMark();
    if (options?.signal) {
      return this.#calls.track(
        options.signal,
        async () => this.#read(name, await this.#client.callBuffer(name, ...args), binary),
        (error) => this.#failed(error, name, mark),
      );
    }
    const writes = this.#writes;
    if (!writes) {
      // No per-call tracking: close() needs none, since disconnecting rejects every pending command
      // and #mapError turns that into RedisClosedError.
      return this.#client.callBuffer(name, ...args).then(
        (raw: unknown) => this.#read(name, raw, binary),
        (error: unknown) => {
          throw this.#failed(error, name, mark);
        },
      );
    }
    // Commands sent while the client is not ready go through ioredis as they are.
    writes.beforeWrite(name, this.#client.status === 'ready' ? this.#client : undefined);
    return this.#client.callBuffer(name, ...args).then(
      (raw: unknown) => {
        writes.answered();
        return this.#read(name, raw, binary);
      },
      (error: unknown) => {
        writes.answered();
        throw this.#failed(error, name, mark);
      },
    );
  }

  /**
   * Sends the commands as one pipeline (one write, one round trip), wrapped in MULTI/EXEC when
   * `transaction` is set, and resolves with one result per command (see `transactionResults` for
   * how queue-time errors and EXECABORT are reported).
   */
  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    let encoded: EncodedCommand[];
    try {
      this.#calls.assertOpen();
      encoded = commands.map(encodeCommand);
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded.length === 0) return Promise.resolve([]);
    const binary = options.binary === true;
    const names = encoded.map((command) => command.name);
    this.#connectIfEnded();
    const mark = this.#readyMark();
    const reader = {
      read: (name: string, raw: unknown) => this.#read(name, raw, binary),
      mapError: (error: unknown, name: string) => this.#failed(error, name, mark),
    };
    const batchName = options.transaction ? 'EXEC' : names[0]!;
    return this.#calls.track(
      options.signal,
      async () => {
        const pipeline = this.#client.pipeline();
        // MULTI and EXEC go uppercase like everything else: ioredis rewrites the replies of a
        // lowercase `exec` and would drop the per-command queue errors we report.
        if (options.transaction) pipeline.callBuffer('MULTI');
        for (const command of encoded) pipeline.callBuffer(command.name, ...command.args);
        if (options.transaction) pipeline.callBuffer('EXEC');
        const outcomes = settledFromErrorFirst(await pipeline.exec());
        return options.transaction
          ? transactionResults(names, outcomes, reader)
          : pipelineResults(names, outcomes, reader);
      },
      (error) => this.#failed(error, batchName, mark),
    );
  }

  /** Runs a Lua script with EVALSHA, falling back to EVAL when the server answers NOSCRIPT. */
  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(this.send.bind(this), script, keys, args, options);
  }

  /**
   * Subscribes on the driver's subscriber connection: a duplicate of the client (same options),
   * opened on the first subscription, shared by all of them, resubscribed after a reconnect.
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
   * pinned to RESP2 with exact integers, without a command timeout and never reconnected (see
   * `IoredisDedicatedConnection`).
   */
  openDedicated(): Promise<DedicatedConnection> {
    try {
      this.#calls.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return IoredisDedicatedConnection.open(this.#client, this.name);
  }

  /**
   * Drops the client's connection now (see `RedisDriver.resetConnection`): its socket is
   * destroyed, so the commands in flight on it reject with `RedisConnectionError` (the factories'
   * `maxRetriesPerRequest: 0` never sends them again), and ioredis reconnects with its
   * `retryStrategy`. Core calls it when a health-check PING after a timeout gets no answer.
   */
  resetConnection(reason: Error): void {
    if (this.#closing) return;
    this.#connection.record(reason);
    this.#client.stream?.destroy();
  }

  /**
   * Closes the driver and disconnects its client. Commands in flight reject with
   * `RedisClosedError` at once, as do later ones. Idempotent; resolves when the socket is closed.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#calls.close();
      this.#closing = Promise.all([disconnectClient(this.#client), this.#subscriber.close()]).then(() => {});
    }
    return this.#closing;
  }

  #read(command: string, raw: unknown, binary: boolean): RedisReply {
    // A reply that raced close(): the port promises RedisClosedError for everything in flight.
    if (this.#closing) throw this.#calls.closedError();
    // ioredis folds RESP3 pairs only through its lowercase reply transformers, which the driver
    // bypasses (it sends uppercase names to keep replies raw), so the toolkit does it here.
    return normalizeCommandReply(command, raw, binary);
  }

  #mapError(error: unknown, command: string, written = false): RedisError {
    return mapIoredisError(error, {
      endpoint: this.#endpoint,
      command,
      commandTimeoutMs: this.#client.options.commandTimeout,
      lastConnectionError: this.#connection.error,
      closed: this.#closing !== undefined,
      written,
      masterName: this.#masterName,
      noPrimaryNamed: error instanceof Error && this.#noPrimaryNamed.has(error),
    });
  }

  /**
   * Maps the error a command sent at `mark` (see `#readyMark`) failed with. A sentinel-managed
   * client that hears READONLY or MASTERDOWN is talking to a node that is no longer the primary:
   * it drops the connection, so that the next command asks the sentinels again. Nothing is resent.
   */
  #failed(error: unknown, command: string, mark: number): RedisError {
    const written = mark === READY_NOW || mark !== this.#readyCount;
    const mapped = this.#mapError(error, command, written);
    if (
      this.#masterName !== undefined &&
      mapped instanceof RedisReplyError &&
      FAILOVER_REPLY_PREFIXES.has(mapped.prefix) &&
      this.#client.status === 'ready' &&
      this.#closing === undefined
    ) {
      this.#client.disconnect(true);
    }
    return mapped;
  }

  /**
   * Where a command sent now stands: `READY_NOW` when the client is ready (it is written at once),
   * else how often the client has been ready so far (it waits offline, and is written only if the
   * client becomes ready again before it fails).
   */
  #readyMark(): number {
    return this.#client.status === 'ready' ? READY_NOW : this.#readyCount;
  }

  /**
   * A sentinel-managed client whose last pass over the sentinels found no primary has ended (the
   * factories give it one pass, so that the commands waiting fail fast); the next command starts a
   * new pass, so that the service recovers when the sentinels are back without being recreated.
   * Only for a client that reconnects after a lost connection (its `retryStrategy` gives a delay):
   * one that never does (a dedicated connection) stays ended.
   */
  #connectIfEnded(): void {
    if (!this.#resumeWhenEnded || this.#client.status !== 'end' || this.#closing) return;
    this.#client.connect().catch(() => {
      // The commands waiting for this pass fail with its error; the next one tries again.
    });
  }
}

/**
 * Puts an ioredis client the caller built under the driver port. Closing the driver disconnects
 * the client. See `IoredisDriver` for what the client's options change; `createIoredisDriverFromUrl`
 * builds a suitable client for you.
 *
 * ```ts
 * const driver = createIoredisDriver(new Redis({ protocol: 2, stringNumbers: true }));
 * await using redis = new RedisService(driver);
 * ```
 */
export function createIoredisDriver(client: Redis, options?: IoredisDriverOptions): IoredisDriver {
  return new IoredisDriver(client, options);
}

/**
 * `host:port` (or the socket path) the client connects to, for messages: never the credentials. A
 * sentinel-managed client is described by its master name and sentinels.
 */
export function describeEndpoint(client: Redis): string {
  const masterName = sentinelMasterName(client);
  if (masterName !== undefined) {
    const sentinels = (client.options.sentinels ?? []).map(
      (sentinel) => `${sentinel.host ?? 'localhost'}:${sentinel.port ?? 26379}`,
    );
    return `'${masterName}' via sentinels ${sentinels.join(', ')}`;
  }
  const options = client.options as { path?: unknown; host?: unknown; port?: unknown };
  if (typeof options.path === 'string' && options.path.length > 0) return options.path;
  const host = typeof options.host === 'string' ? options.host : 'localhost';
  const port = typeof options.port === 'number' ? options.port : 6379;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Whether the client reconnects after a lost connection: its `retryStrategy` gives a delay. */
function reconnectsAfterLoss(client: Redis): boolean {
  const { retryStrategy } = client.options;
  return typeof retryStrategy === 'function' && typeof retryStrategy(1) === 'number';
}

/** The master name of a client that finds its primary through sentinels, else undefined. */
function sentinelMasterName(client: Redis): string | undefined {
  const { sentinels, name } = client.options;
  return Array.isArray(sentinels) && sentinels.length > 0 && typeof name === 'string' ? name : undefined;
}

/** Disconnects at once and resolves when the client has ended (or after a grace period at most). */
function disconnectClient(client: Redis): Promise<void> {
  if (client.status === 'end') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, DISCONNECT_GRACE_MS);
    timer.unref();
    client.once('end', done);
    client.disconnect();
    // disconnect() half-closes and waits for the server to close its side, which a hung server
    // never does. Commands in flight are already rejected, so nothing is left to flush: drop it.
    (client.stream as Redis['stream'] | undefined)?.destroy();
    // Between reconnect attempts there is no socket left to close, so ioredis never emits 'end'.
    if (client.status === 'reconnecting') done();
  });
}
