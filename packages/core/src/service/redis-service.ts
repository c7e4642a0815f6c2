import type { DedicatedPoolStats } from '../blocking/dedicated-pool.js';
import { CacheAside, type Compute } from '../cache/cache-aside.js';
import type { CachedEntry } from '../cache/cache-entry.js';
import type { GetOrComputeOptions } from '../cache/get-or-compute-options.js';
import { L1Cache } from '../cache/l1/l1-cache.js';
import { L1CacheAside } from '../cache/l1/l1-cache-aside.js';
import { resolveL1Options } from '../cache/l1/l1-options.js';
import { observeWrites } from '../cache/l1/observe-writes.js';
import { serviceNotices } from '../cache/notices.js';
import { nodeWideCommand } from '../cluster/node-wide-commands.js';
import type { NodeCommandOptions, RedisNode } from '../cluster/redis-node.js';
import { groupBySlot, keysSlot } from '../cluster/slot-route.js';
import { encodeJson } from '../codec/json.js';
import { type Schema, type SchemaInput, type SchemaOutput, validateWithSchema } from '../codec/schema.js';
import { blockingTimeoutMs } from '../command-table/blocking-timeout.js';
import { classifyRawCommand } from '../command-table/classify-raw-command.js';
import { prefixKeys } from '../command-table/prefix-keys.js';
import {
  asHashFields,
  asInteger,
  asScoredMembers,
  asStringArray,
  type HashField,
  type ScoredMember,
} from '../commands/replies.js';
import { type Entries, entryPairs } from '../commands/strings.js';
import {
  type ExpiryOptions,
  expiryArgs,
  requireKey,
  requireNonEmpty,
  requirePositiveInteger,
  requireWellFormed,
  requireWellFormedArgs,
} from '../commands/validate.js';
import { RedisCommandRefusedError } from '../errors/command-refused-error.js';
import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';
import type { InflightLimiter, InflightStats } from '../limiter/inflight-limiter.js';
import type { DriverCapabilities } from '../port/capabilities.js';
import type { LuaScript, RedisDriver } from '../port/driver.js';
import type { RedisArg, RedisCommand, RedisReply } from '../port/reply.js';
import { PubSub, type SubscribeArgs } from '../pubsub/pubsub.js';
import type { Subscription } from '../pubsub/subscription.js';
import { RateLimitBatcher } from '../ratelimit/rate-limit-batcher.js';
import type { RateLimitOptions, RateLimitResult } from '../ratelimit/rate-limit-options.js';
import type { DropIndexOptions } from '../search/index-commands.js';
import type { VectorSearchHit, VectorSearchOptions } from '../search/knn-search.js';
import type { VectorInput } from '../search/vector-bytes.js';
import type { VectorDocument } from '../search/vector-document.js';
import type { VectorIndexSpec } from '../search/vector-index.js';
import { VectorSearch } from '../search/vector-search.js';
import { BlockingStreamReads } from '../streams/blocking-stream-reads.js';
import {
  type ConsumeJsonOptions,
  type ConsumeModelOptions,
  type ConsumeOptions,
  resolveConsumeOptions,
} from '../streams/consume-options.js';
import type { ConsumedMessage, StreamMessage } from '../streams/consumed-message.js';
import { StreamConsumer } from '../streams/stream-consumer.js';
import { runWatch, type WatchBody, type WatchOptions, type WatchResult } from '../watch/run-watch.js';
import { type BatchBuilder, type BatchResults, runBatch } from './batch.js';
import type { RedisServiceOptions } from './options.js';
import { ServiceCore } from './service-core.js';

/** Options of `scan`. */
export interface ScanOptions {
  /** A glob pattern over keys (without the key prefix, which is added for you). Default `*`. */
  readonly match?: string;
  /** How much work the server does per round trip (a hint). Default 100. */
  readonly count?: number;
  /** Only keys of this type (`string`, `hash`, `list`, `set`, `zset`, `stream`). */
  readonly type?: string;
}

/** Options of `hscan`, `sscan` and `zscan`. */
export interface CollectionScanOptions {
  /** A glob pattern over fields (hscan) or members (sscan, zscan). Default: all. */
  readonly match?: string;
  /** How much work the server does per round trip (a hint). Default 100. */
  readonly count?: number;
}

/** Options of `command`. */
export interface RawCommandOptions {
  /** Return bulk strings as `Uint8Array`. Needs the `binary` capability. */
  readonly binary?: boolean;
  /**
   * Stop waiting (for a permit or the reply) when this fires: one deadline over both clocks with
   * `AbortSignal.timeout(ms)`. Any number of commands may share one signal.
   */
  readonly signal?: AbortSignal;
  /**
   * Apply the service's key prefix to the command's keys, at the positions the command table
   * (the server's own key specs) gives: EVAL's keys, ZUNION's, XREAD's streams, ... Values,
   * channels and patterns are left alone; replies are not rewritten. A command the table does not
   * know, or arguments that do not fit its key specs, are refused. Default `false`: sent as given.
   */
  readonly prefixKeys?: boolean;
}

const GLOB_SPECIAL = /[*?[\]\\]/g;

const NODE_WIDE_USE =
  'Run it on the nodes you mean: for (const node of await redis.masters()) await node.command([...]).';

/**
 * One well-typed async Redis service over any driver that implements the port. Every command
 * passes through the endpoint's inflight limiter and command timeout; keys get the key prefix;
 * bad input is refused with a typed error before anything is sent.
 *
 * ```ts
 * await using redis = new RedisService(driver, { keyPrefix: 'app:' });
 * await redis.set('greeting', 'hello', { ttl: 60 });
 * ```
 */
export class RedisService extends BlockingStreamReads implements AsyncDisposable {
  #closing: Promise<void> | undefined;
  #pubsub: PubSub | undefined;
  #cache: CacheAside | undefined;
  #search: VectorSearch | undefined;
  readonly #l1: L1Cache | undefined;
  #l1CacheAside: L1CacheAside | undefined;
  #rateLimits: RateLimitBatcher | undefined;

  /**
   * @param driver the adapter's driver (see `@redis-service/adapter-*`)
   * @param options key prefix, inflight ceiling and command timeout
   * @param limiter share one limiter between services of the same endpoint (advanced)
   */
  constructor(driver: RedisDriver, options?: RedisServiceOptions, limiter?: InflightLimiter) {
    const l1Options = options?.l1 === undefined ? undefined : resolveL1Options(options.l1);
    // With an L1, the service sees the driver through an observer of its writes (see observeWrites).
    const l1: { cache?: L1Cache } = {};
    super(
      new ServiceCore(
        l1Options
          ? observeWrites(driver, { written: (keys, phase) => l1.cache?.written(keys, phase) })
          : driver,
        options,
        limiter,
      ),
    );
    if (l1Options) {
      l1.cache = new L1Cache(this.core, driver, l1Options);
      this.#l1 = l1.cache;
    }
  }

  /** What the underlying driver can do. */
  get capabilities(): DriverCapabilities {
    return this.core.driver.capabilities;
  }

  /** The driver's name, e.g. `ioredis`. */
  get driverName(): string {
    return this.core.driver.name;
  }

  /** The key prefix this service applies. */
  get keyPrefix(): string {
    return this.core.options.keyPrefix;
  }

  /** Live counters of this endpoint's inflight limiter: active, queued, peak. */
  get stats(): InflightStats {
    return this.core.limiter.stats;
  }

  /** Live counters of the dedicated connections (blocking commands, WATCH): open, inUse, queued, max. */
  get dedicatedStats(): DedicatedPoolStats {
    return this.core.dedicated.stats;
  }

  /**
   * The in-process cache in front of Redis (the `l1` option): plain reads served from it
   * (`redis.l1.get`, `getJson`, `getModel`, `hgetall`), its `stats`, `ready()` and `clear()`.
   * `getOrCompute` uses it on its own. Throws `RedisValidationError` when the service was built
   * without `l1`.
   */
  get l1(): L1Cache {
    if (!this.#l1) {
      throw new RedisValidationError(
        'this service has no L1: pass the l1 option (e.g. { l1: {} }) to build one',
      );
    }
    return this.#l1;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.core.executor.closed;
  }

  /**
   * Sends a raw command and resolves with the normalized reply (integers beyond 2^53 as `bigint`).
   * Sent as given (no key prefix) unless `prefixKeys` asks for it. Commands that would change the
   * state of the connection every caller shares (SUBSCRIBE, MULTI, SELECT, CLIENT REPLY, HELLO,
   * MONITOR, QUIT, ...) are refused with `RedisCommandRefusedError`, naming the API to use instead,
   * before anything is sent. Blocking commands (BLPOP, XREAD BLOCK, WAIT, ...) run on one of the
   * service's dedicated connections, like the typed blocking pops, with their own timeout plus
   * `commandTimeoutMs` as the deadline; where the driver has no dedicated connections (the
   * `blocking` capability) they are refused too.
   *
   * On a cluster the command goes to the master of its keys' slot (MGET, MSET, DEL, UNLINK, EXISTS
   * and TOUCH are split by slot; other commands whose keys span slots are refused with
   * `RedisCrossSlotError`). A keyless command that acts on one node's keyspace or state (DBSIZE,
   * KEYS, SCAN, FLUSHALL, SCRIPT, CONFIG, INFO, PUBSUB, ...) is refused with
   * `RedisCommandRefusedError` (reason `node-wide`): run it on the nodes you mean with `masters()`.
   */
  command(command: RedisCommand, options?: RawCommandOptions): Promise<RedisReply> {
    let argv: RedisCommand;
    try {
      if (!Array.isArray(command) || command.length === 0) {
        throw new RedisValidationError('command() needs an argument vector with the command name first');
      }
      requireWellFormedArgs(command, 'a command argument');
      const route = classifyRawCommand(command);
      if (route.route === 'refused') {
        throw new RedisCommandRefusedError(route.command, 'connection-state', route.use);
      }
      const nodeWide = this.core.cluster ? nodeWideCommand(command) : undefined;
      if (nodeWide !== undefined) throw new RedisCommandRefusedError(nodeWide, 'node-wide', NODE_WIDE_USE);
      argv = options?.prefixKeys === true ? prefixKeys(command, this.core.options.keyPrefix) : command;
      if (route.route === 'blocking') {
        // A blocking command would hold the connection every caller shares: it runs on a
        // dedicated one instead, or is refused where the driver has none (REST).
        if (!this.core.driver.capabilities.blocking || !this.core.driver.openDedicated)
          throw new RedisCommandRefusedError(route.command, 'blocking', route.use);
        return this.core.blocking.run(argv, {
          timeoutMs: blockingTimeoutMs(argv),
          ...(options?.signal ? { signal: options.signal } : {}),
          ...(options?.binary === true ? { binary: true } : {}),
        });
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.core.send(argv, options?.binary === true, options?.signal);
  }

  /**
   * The nodes that hold the keyspace: each master of a cluster (as the driver sees the topology
   * now), or the one server. For node-wide commands (`node.command(['DBSIZE'])`) that `command()`
   * refuses on a cluster; the same code runs unchanged on one server.
   */
  async masters(): Promise<RedisNode[]> {
    const ids = await this.#masterIds();
    return ids.map((id) => ({
      id: id ?? this.core.options.endpointId,
      command: (command: RedisCommand, options?: NodeCommandOptions) =>
        this.core.sendToNode(command, id, options?.signal),
    }));
  }

  /** The driver's masters on a cluster; on one server, the one `undefined` node (send as usual). */
  async #masterIds(): Promise<(string | undefined)[]> {
    const { driver } = this.core;
    if (!this.core.cluster) return [undefined];
    if (!driver.masters) {
      throw new RedisSerializationError(
        `the ${driver.name} driver declares 'cluster' but cannot list its masters`,
      );
    }
    const listMasters = driver.masters.bind(driver);
    return [...(await this.core.executor.run(() => listMasters()))];
  }

  /** Runs a Lua script (EVALSHA, EVAL on NOSCRIPT). `keys` get the key prefix. Needs `scripting`. */
  runScript(
    script: LuaScript,
    input: { readonly keys?: readonly string[]; readonly args?: readonly RedisArg[] } = {},
  ): Promise<RedisReply> {
    try {
      this.core.require('scripting', 'running a Lua script');
      const keys = (input.keys ?? []).map((key) => this.key(key));
      const args = input.args ?? [];
      requireWellFormedArgs(args, 'a script argument');
      this.core.refuseBytesUnlessBinary(args);
      const slot = this.core.cluster ? keysSlot(keys, 'a Lua script') : undefined;
      const options = slot === undefined ? undefined : { slot };
      return this.core.executor.run(() => this.core.driver.evalScript(script, keys, args, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Iterates over keys with SCAN (never KEYS), yielding them without the key prefix. As with SCAN
   * itself, a key may be yielded more than once if the keyspace changes during the scan. On a
   * cluster it walks every master in turn (never a replica, whose keys are copies), so each key
   * is found on the one node that holds it; a slot that migrates during the walk may be seen twice
   * or not at all, as with SCAN during a rehash.
   */
  async *scan(options: ScanOptions = {}): AsyncGenerator<string, void, undefined> {
    const count = requirePositiveInteger(options.count ?? 100, 'count');
    const pattern = requireWellFormed(options.match ?? '*', 'match');
    const match = this.core.options.keyPrefix.replace(GLOB_SPECIAL, '\\$&') + pattern;
    const typeArgs = options.type === undefined ? [] : ['TYPE', requireKey(options.type, 'type')];
    // On a cluster every master in turn (never a replica, whose keys are copies).
    for (const node of await this.#masterIds()) {
      const scan = (cursor: string): RedisCommand => [
        'SCAN',
        cursor,
        'MATCH',
        match,
        'COUNT',
        count,
        ...typeArgs,
      ];
      for await (const page of this.#pages(scan, node)) {
        for (const key of asStringArray(page)) yield this.unprefix(key);
      }
    }
  }

  /**
   * Iterates over the fields of a hash with HSCAN, yielding `{ field, value }`. As with HSCAN, a
   * field may be yielded more than once if the hash changes during the scan.
   */
  async *hscan(key: string, options: CollectionScanOptions = {}): AsyncGenerator<HashField, void, undefined> {
    for await (const page of this.#collectionPages('HSCAN', key, options)) yield* asHashFields(page);
  }

  /** Iterates over the members of a set with SSCAN (a member may be yielded more than once). */
  async *sscan(key: string, options: CollectionScanOptions = {}): AsyncGenerator<string, void, undefined> {
    for await (const page of this.#collectionPages('SSCAN', key, options)) yield* asStringArray(page);
  }

  /** Iterates over the members of a sorted set with ZSCAN, yielding `{ member, score }`. */
  async *zscan(
    key: string,
    options: CollectionScanOptions = {},
  ): AsyncGenerator<ScoredMember, void, undefined> {
    for await (const page of this.#collectionPages('ZSCAN', key, options)) yield* asScoredMembers(page);
  }

  #collectionPages(name: string, key: string, options: CollectionScanOptions): AsyncGenerator<RedisReply> {
    const prefixed = this.key(key);
    const count = requirePositiveInteger(options.count ?? 100, 'count');
    const matchArgs = options.match === undefined ? [] : ['MATCH', requireKey(options.match, 'match')];
    return this.#pages((cursor) => [name, prefixed, cursor, ...matchArgs, 'COUNT', count]);
  }

  /**
   * Follows a SCAN-family cursor from 0 back to 0, yielding each page's items; with `node`, on
   * that cluster node only (SCAN's cursor belongs to one node).
   */
  async *#pages(
    build: (cursor: string) => RedisCommand,
    node?: string,
  ): AsyncGenerator<RedisReply, void, undefined> {
    let cursor = '0';
    do {
      const command = build(cursor);
      const reply = await (node === undefined
        ? this.core.send(command, false)
        : this.core.sendToNode(command, node));
      if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== 'string') {
        throw new RedisSerializationError(`unexpected reply to ${String(command[0])}`);
      }
      cursor = reply[0];
      yield reply[1] ?? [];
    } while (cursor !== '0');
  }

  /**
   * Stores several JSON values. Without a TTL this is one MSET; with one it is one batch of
   * `SET ... PX` (a MULTI/EXEC when the driver has transactions), never one round trip per key.
   * Every value is encoded before anything is sent. On a cluster the keys are written per slot in
   * parallel (one MSET, or one MULTI/EXEC, per slot): atomic within a slot, not across slots.
   */
  async msetJson(entries: Entries<unknown>, options?: ExpiryOptions): Promise<void> {
    const pairs = entryPairs(entries, 'msetJson').map(
      ([key, value]) => [this.key(key), encodeJson(value, key)] as const,
    );
    await this.#writeEncoded(pairs, expiryArgs(options));
  }

  /** Checks every value against `schema`, then stores them all like `msetJson`. Nothing is written if one fails. */
  async msetModels<S extends Schema>(
    schema: S,
    entries: Entries<SchemaInput<S>>,
    options?: ExpiryOptions,
  ): Promise<void> {
    const expiry = expiryArgs(options);
    const pairs = entryPairs(entries, 'msetModels');
    const encoded: (readonly [string, string])[] = [];
    for (const [key, value] of pairs) {
      await validateWithSchema(schema, value, { key, when: 'write' });
      encoded.push([this.key(key), encodeJson(value, key)]);
    }
    await this.#writeEncoded(encoded, expiry);
  }

  /**
   * Sends the commands queued by `build` as one pipeline (one round trip, not atomic). Each
   * command settles with its own value or error; the rest still run. Bad input in any command
   * rejects the whole pipeline before anything is sent.
   *
   * ```ts
   * const [visits, user] = await redis.pipeline((p) => [p.incr('visits'), p.getJson<User>('user:1')]);
   * if (visits.ok) console.log(visits.value);
   * ```
   */
  pipeline<T extends readonly Promise<unknown>[]>(build: BatchBuilder<T>): Promise<BatchResults<T>> {
    return runBatch(this.core, build, false);
  }

  /**
   * Sends the commands queued by `build` as one MULTI/EXEC transaction. A command that fails at
   * run time (e.g. WRONGTYPE) reports its own error and the others still apply, as in Redis.
   * Needs the `transactions` capability.
   */
  transaction<T extends readonly Promise<unknown>[]>(build: BatchBuilder<T>): Promise<BatchResults<T>> {
    return runBatch(this.core, build, true);
  }

  /**
   * An optimistic transaction on a dedicated connection: WATCHes `keys`, runs `body` (whose reads
   * through `tx` see the keys as EXEC will judge them), then sends the `tx.multi(...)` it returns
   * as MULTI/EXEC. If a watched key changed meanwhile, nothing is applied and `body` runs again,
   * up to `maxRetries` more times (default 10); then it resolves with `{ committed: false }`.
   * When `body` throws, the keys are unwatched and the error propagates; bad input in the commit
   * refuses it before anything is sent. Needs the `blocking` and `transactions` capabilities
   * (`RedisCapabilityError` over Upstash REST, where no connection outlives a request).
   *
   * ```ts
   * const outcome = await redis.watch('balance', async (tx) => {
   *   const balance = Number((await tx.get('balance')) ?? 0);
   *   return tx.multi((m) => [m.set('balance', balance - 10)]);
   * });
   * if (outcome.committed) console.log(outcome.results[0]);
   * ```
   *
   * `body` may run more than once, so keep side effects out of it; it holds a dedicated
   * connection while it runs, so do not call `watch` or a blocking command from inside it.
   */
  watch<T extends readonly Promise<unknown>[]>(
    keys: string | readonly string[],
    body: WatchBody<T>,
    options?: WatchOptions,
  ): Promise<WatchResult<T>> {
    try {
      const watched = this.keys(requireNonEmpty(typeof keys === 'string' ? [keys] : keys, 'watch'));
      return runWatch(this.core, watched, body, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Whether the server has the search module (RediSearch, or Redis 8). When the driver declares
   * `search: 'detect'` this sends `FT._LIST` once per service and remembers the answer.
   */
  searchAvailable(): Promise<boolean> {
    return this.#vectorSearch().available();
  }

  /**
   * Creates a vector index over hashes (`FT.CREATE ... ON HASH`). The service's key prefix is
   * prepended to the index name and to its document prefix, so hits map back to this service's
   * keys. Needs the `search` capability (`RedisCapabilityError` otherwise).
   *
   * ```ts
   * const movies = { name: 'movies', prefix: 'movie:', field: 'embedding', dims: 3,
   *   distance: 'COSINE', algorithm: 'HNSW', fields: [{ type: 'TAG', name: 'genre' }] } as const;
   * await redis.createVectorIndex(movies);
   * ```
   */
  createVectorIndex(spec: VectorIndexSpec): Promise<void> {
    return this.#vectorSearch().createIndex(spec);
  }

  /** Drops a search index (`FT.DROPINDEX`); with `deleteDocuments` its documents too. Needs `search`. */
  dropIndex(index: VectorIndexSpec | string, options?: DropIndexOptions): Promise<void> {
    return this.#vectorSearch().dropIndex(index, options);
  }

  /**
   * Stores a document of a vector index as a hash: the vector as FLOAT32 little-endian bytes in
   * the index's vector field, plus `fields`. `key` must start with the index's prefix. Needs the
   * `binary` capability. Resolves with how many fields were added.
   */
  upsertVectorDocument(index: VectorIndexSpec, key: string, document: VectorDocument): Promise<number> {
    return this.#vectorSearch().upsert(index, key, document);
  }

  /**
   * The `k` documents nearest to `vector`, closest first, among those matching `filter`. Filter
   * values are escaped or sent as parameters, never spliced into query syntax. With the index
   * given by name, `options.field` names its vector field. Needs `search` and `binary`.
   */
  vectorSearch(
    index: VectorIndexSpec | string,
    vector: VectorInput,
    options: VectorSearchOptions,
  ): Promise<VectorSearchHit[]> {
    return this.#vectorSearch().search(index, vector, options);
  }

  #vectorSearch(): VectorSearch {
    this.#search ??= new VectorSearch(this.core);
    return this.#search;
  }

  /**
   * `WAIT replicas timeoutMs`: waits until at least `replicas` replicas have acknowledged every
   * write this service sent before it, or `timeoutMs` passed, and resolves with how many did. For
   * writes that must survive a failover: Redis replicates asynchronously, so a write the primary
   * acknowledged can be lost when a replica that had not received it is promoted. A result below
   * `replicas` means the write may still be lost (it is not undone).
   *
   * It runs on the connection the writes went on (WAIT only covers its own connection's writes,
   * which is why `command(['WAIT', ...])`, sent on a dedicated connection, proves nothing), so the
   * commands of other callers queued behind it wait up to `timeoutMs` too: keep it short. Over REST
   * (Upstash) requests may not share a connection, and the reply says nothing about earlier writes.
   *
   * ```ts
   * await redis.set('order:1', payload);
   * if ((await redis.wait(1, 100)) < 1) console.warn('order:1 is not on a replica yet');
   * ```
   *
   * @throws RedisValidationError when `replicas` is not an integer >= 1, or `timeoutMs` not an
   *   integer >= 1 below the command timeout (WAIT 0 would wait forever), before anything is sent
   */
  wait(replicas: number, timeoutMs: number): Promise<number> {
    return this.call(() => {
      if (!Number.isSafeInteger(replicas) || replicas < 1) {
        throw new RedisValidationError(`wait: replicas must be an integer >= 1, got ${String(replicas)}`);
      }
      const limit = this.core.options.commandTimeoutMs;
      if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || (limit > 0 && timeoutMs >= limit)) {
        throw new RedisValidationError(
          `wait: timeoutMs must be an integer from 1 to below the command timeout (${limit} ms), got ${String(timeoutMs)}`,
        );
      }
      return ['WAIT', String(replicas), String(timeoutMs)];
    }, asInteger);
  }

  /**
   * Publishes `message` to `channel` and resolves with how many subscribers received it. Channels
   * are not key-prefixed (they are not keys): pick your own namespace, e.g. `app:news`.
   */
  publish(channel: string, message: string): Promise<number> {
    return this.#pubSub().publish(channel, message);
  }

  /** Publishes a value as JSON; a value JSON cannot hold is refused (typed error) before sending. */
  publishJson(channel: string, value: unknown): Promise<number> {
    return this.#pubSub().publishJson(channel, value);
  }

  /**
   * Subscribes to channels (not key-prefixed) and resolves once the server confirmed it. The
   * subscription is an `AsyncIterable` of messages and `AsyncDisposable`; a last argument of
   * options sets its buffer (`{ bufferSize: 1000, overflow: 'drop-oldest' }` by default). Needs
   * the `pubsub` capability.
   *
   * ```ts
   * await using sub = await redis.subscribe('news');
   * for await (const { message } of sub) console.log(message);
   * ```
   */
  subscribe(...args: SubscribeArgs): Promise<Subscription> {
    return this.#pubSub().subscribe('channel', args);
  }

  /** Subscribes to glob patterns (`news.*`, not key-prefixed); messages carry the matching `pattern`. */
  psubscribe(...args: SubscribeArgs): Promise<Subscription> {
    return this.#pubSub().subscribe('pattern', args);
  }

  /**
   * Publishes to a shard channel (Redis 7 sharded pub/sub, SPUBLISH) and resolves with how many
   * subscribers received it. On a cluster the message stays on the node of the channel's slot
   * instead of being broadcast to every node; only `ssubscribe` subscribers receive it.
   */
  spublish(channel: string, message: string): Promise<number> {
    return this.#pubSub().spublish(channel, message);
  }

  /**
   * Subscribes to shard channels (SSUBSCRIBE; on a cluster, on the master of each channel's slot,
   * followed there when the slot moves). Needs the `shardedPubsub` capability. Like `subscribe`.
   */
  ssubscribe(...args: SubscribeArgs): Promise<Subscription> {
    return this.#pubSub().subscribe('shard', args);
  }

  #pubSub(): PubSub {
    this.#pubsub ??= new PubSub(this.core);
    return this.#pubsub;
  }

  /**
   * A consumer of a stream's consumer group as an async iterable of messages, each acknowledged
   * with `message.ack()`. It reads the next batch (`count` entries) only when the caller asks for
   * a message and none is left (back-pressure): first its own pending entries left from an
   * earlier run, then new ones, waiting up to `blockMs` per read on a dedicated connection (or
   * polling without the `blocking` capability, see `readMode`). With `claimIdleMs` it claims
   * entries other consumers left pending that long (XAUTOCLAIM); with `maxDeliveries` an entry
   * delivered more often goes to `deadLetterStream`. An entry read and not acknowledged stays
   * pending, so none is lost (this consumer does not hand a message out twice while it runs;
   * another may claim it, and a restart re-reads it). The iteration ends cleanly when `signal`
   * fires or the consumer is closed (`break`, `await using`), unblocking a waiting read; a failed
   * read throws.
   *
   * ```ts
   * await using orders = redis.consume('orders', { group: 'billing', consumer: 'worker-1', claimIdleMs: 60_000 });
   * for await (const message of orders) {
   *   await bill(message.fields);
   *   await message.ack();
   * }
   * ```
   *
   * With `json: true` (entries from `xaddJson`) or `schema` (from `xaddModel`) each message has a
   * decoded `value`, or `ok: false` and an `error` (`RedisStreamEntryError`, naming the stream and
   * the id) when the entry cannot be decoded: such a message is handed out, never thrown, so it
   * cannot stop the consumer. Bad options throw `RedisValidationError` at once; `readMode:
   * 'block'` without `blocking`, or `deadLetterStream` without `scripting`, `RedisCapabilityError`.
   */
  consume(
    stream: string,
    options: ConsumeOptions & { readonly json?: false; readonly schema?: undefined },
  ): StreamConsumer<StreamMessage<Record<string, string>>>;
  consume<T = unknown>(stream: string, options: ConsumeJsonOptions): StreamConsumer<ConsumedMessage<T>>;
  consume<S extends Schema>(
    stream: string,
    options: ConsumeModelOptions<S>,
  ): StreamConsumer<ConsumedMessage<SchemaOutput<S>>>;
  consume(
    stream: string,
    options: ConsumeOptions & { readonly json?: boolean; readonly schema?: Schema },
  ): StreamConsumer<ConsumedMessage<unknown>> {
    requireKey(stream, 'stream');
    const resolved = resolveConsumeOptions(options, this.capabilities.blocking);
    if (resolved.readMode === 'block') this.core.require('blocking', "consume with readMode 'block'");
    if (resolved.deadLetterStream !== undefined) {
      this.core.require('scripting', 'a dead-letter stream');
      // The move is one script over both streams: on a cluster refuse now, not at the first poison entry.
      if (this.core.cluster) {
        const prefix = this.core.options.keyPrefix;
        keysSlot(
          [prefix + stream, prefix + resolved.deadLetterStream],
          'a consumer and its dead-letter stream',
        );
      }
    }
    return new StreamConsumer(this, stream, resolved);
  }

  /**
   * Checks (and, when allowed, counts) `cost` units of `key` against a rate limit: sliding-window
   * log (exact), sliding-window counter (approximate, two buckets: see
   * `SlidingWindowCounterOptions` for its error bound), fixed window or GCRA, each check one atomic
   * run of its algorithm's Lua script on Redis's clock. A denied call is not counted;
   * `retryAfterMs` says how long to wait. Keys are `rl:{<key>}:...` (one hash tag, Cluster-safe).
   * When Redis is unavailable the `failurePolicy` decides (see the option). Needs the `scripting`
   * capability.
   *
   * Checks are batched: the checks issued in the same tick are sent after it (on a microtask) as
   * one script per algorithm (and per hash slot on a cluster), at most 128 checks each, which
   * reads Redis's clock once and runs each check in turn; a check issued alone goes out as the
   * single-check script. While none of the service's scripts is in flight, a tick's checks go as
   * two scripts, so that Redis runs one while Node prepares the other. What that means for a
   * caller:
   * - each check stays atomic, but a batch is not one transaction across callers: other clients'
   *   commands may run between two batches, never inside one;
   * - a command issued later in the same tick (a `get`, a `set`, ...) can reach Redis before a
   *   check issued earlier, which still waits for its batch: await the check to order them;
   * - bad input still rejects before anything is queued; a failure of the batch reaches every
   *   check in it, each under its own failure policy; `signal` drops a queued check unsent;
   * - a batch takes one inflight permit and one command timeout, whatever its size.
   *
   * ```ts
   * const r = await redis.checkRateLimit(`user:${id}`, { algorithm: 'gcra', rate: 10, periodMs: 1000, burst: 20 });
   * if (!r.allowed) res.setHeader('Retry-After', Math.ceil(r.retryAfterMs / 1000));
   * ```
   */
  checkRateLimit(key: string, options: RateLimitOptions): Promise<RateLimitResult> {
    this.#rateLimits ??= new RateLimitBatcher(this, {
      cluster: this.core.cluster,
      keyPrefix: this.core.options.keyPrefix,
    });
    return this.#rateLimits.check(key, options, this.core.options.failurePolicy);
  }

  /**
   * Cache-aside with stampede protection: the cached value of `key`, or `compute`'s value, computed
   * once across every process (a token-owned lease; concurrent callers here share one flight, others
   * are woken by pub/sub, or by bounded polling without it). Only the lease holder writes: a compute
   * that outlived its lease stores nothing (its caller still gets its value). Compute errors reach
   * every waiter and are cached only with `negativeTtlMs`; `staleTtlMs` and `earlyRefresh` refresh
   * in the background. The value is stored in an envelope (see `peekCached`). When Redis is
   * unavailable the `failurePolicy` decides. Needs the `scripting` capability.
   *
   * ```ts
   * const user = await redis.getOrCompute(`user:${id}`, () => db.user(id), { ttl: 60, schema: User });
   * ```
   */
  getOrCompute<T>(key: string, compute: Compute<T>, options: GetOrComputeOptions<T>): Promise<T> {
    try {
      this.core.require('scripting', 'getOrCompute');
    } catch (error) {
      return Promise.reject(error);
    }
    const cache = this.#cacheAside();
    if (this.#l1) {
      this.#l1CacheAside ??= new L1CacheAside(
        this.#l1,
        cache,
        this.core.options.keyPrefix,
        this.core.options.failurePolicy,
      );
      return this.#l1CacheAside.getOrCompute(key, compute, options);
    }
    return cache.getOrCompute(key, compute, options);
  }

  /**
   * What `getOrCompute` stored at `key`, decoded from its envelope: `{ kind: 'value', value,
   * fresh, freshUntil, computeMs }` (the value checked by `schema` when given), `{ kind: 'error',
   * error, expiresAt }` for a cached failure (`negativeTtlMs`), or `null` when nothing is stored.
   * One GET: no lease, no compute, no refresh. A value not written by `getOrCompute` is a
   * `RedisSerializationError`. To invalidate, `delete(key)`.
   */
  peekCached<T = unknown>(
    key: string,
    options: { readonly schema?: Schema<unknown, T> } = {},
  ): Promise<CachedEntry<T> | null> {
    return this.#cacheAside().peek(key, options.schema);
  }

  #cacheAside(): CacheAside {
    this.#cache ??= new CacheAside(this, {
      notices: serviceNotices(this, this.core.cluster),
      failurePolicy: this.core.options.failurePolicy,
    });
    return this.#cache;
  }

  /**
   * Closes the service: commands in flight or waiting for a permit reject with `RedisClosedError`,
   * subscriptions end, blocking commands are unblocked on the server and reject with
   * `RedisClosedError` (one whose reply carried an element resolves with it, so none is lost), the
   * dedicated connections close, then the driver closes. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      this.core.executor.close();
      this.#pubsub?.close();
      const l1Closed = this.#l1?.close().catch(() => {});
      this.#closing = Promise.all([this.core.closeDedicated(), l1Closed])
        .catch(() => {})
        .then(() => this.core.driver.close());
    }
    return this.#closing;
  }

  /** Lets `await using redis = ...` close the service at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #writeEncoded(pairs: readonly (readonly [string, string])[], expiry: RedisArg[]): Promise<void> {
    if (expiry.length === 0) {
      await this.core.send(['MSET', ...pairs.flat()], false);
      return;
    }
    const commands = pairs.map(([key, text]) => ['SET', key, text, ...expiry]);
    const atomic = this.core.driver.capabilities.transactions;
    // On a cluster one MULTI per slot, in parallel: atomic per slot, not across slots.
    const batches = this.core.cluster && atomic ? [...groupBySlot(commands).values()] : [commands];
    const outcomes = await Promise.all(batches.map((batch) => this.core.batch(batch, atomic, false)));
    for (const items of outcomes) for (const item of items) if (!item.ok) throw item.error;
  }
}
