import { decodeJson } from '../../codec/json.js';
import { type Schema, type SchemaOutput, validateWithSchema } from '../../codec/schema.js';
import { asNullableString, asRecord } from '../../commands/replies.js';
import { requireKey } from '../../commands/validate.js';
import { RedisCapabilityError, RedisValidationError } from '../../errors/redis-error.js';
import type { RedisDriver } from '../../port/driver.js';
import type { BatchItemResult, RedisCommand } from '../../port/reply.js';
import type { ServiceCore } from '../../service/service-core.js';
import { BusCoherence } from './bus-coherence.js';
import type { Coherence } from './coherence.js';
import { deepFreeze } from './deep-freeze.js';
import type { L1Coherence, ResolvedL1Options } from './l1-options.js';
import { type FillTicket, type L1Kind, type L1Node, L1Store } from './l1-store.js';
import { monotonic } from './monotonic.js';
import { decodedBytes, estimateBytes, recordTextLength } from './size-estimate.js';
import { TrackingCoherence } from './tracking-coherence.js';
import { TtlCoherence } from './ttl-coherence.js';
import type { WrittenKeys } from './written-keys.js';

/** Live counters of an L1 (`redis.l1.stats`). */
export interface L1Stats {
  /** How the L1 hears of changes. */
  readonly coherence: L1Coherence;
  /**
   * Whether entries are served: the coherence is live. While it is not (not started yet, or its
   * connection was lost and not yet replaced), every read goes to Redis and nothing is stored.
   */
  readonly live: boolean;
  /** Entries held, and the bound. */
  readonly entries: number;
  readonly maxEntries: number;
  /** Estimated bytes held (see `L1Options.maxBytes`), and the bound. */
  readonly bytes: number;
  readonly maxBytes: number;
  /** Reads served from the L1, and reads that went to Redis. */
  readonly hits: number;
  readonly misses: number;
  /** Keys evicted because Redis (tracking) or another service (bus) said they changed. */
  readonly invalidations: number;
  /** Times the whole L1 was emptied: coherence lost or regained, FLUSHDB/FLUSHALL, `clear()`. */
  readonly flushes: number;
  /** Entries evicted to keep within `maxEntries` and `maxBytes`. */
  readonly evictions: number;
  /** The server's client id of the connection that receives invalidations (tracking, while live). */
  readonly trackingClientId: number | undefined;
}

/** What the decoded forms of a GET entry are kept as. */
interface TextForms {
  json?: unknown;
  decoded?: true;
  schema?: Schema;
  output?: unknown;
}

/** A read's value, and its entry when it was stored. */
interface Filled {
  readonly value: unknown;
  readonly node: L1Node | undefined;
}

/**
 * The in-process cache (L1) of a service, configured with the service option `l1`: a bounded
 * LRU in front of Redis, kept coherent by Redis itself where the driver can track (see
 * `L1Coherence`). `getOrCompute` uses it on its own; plain reads use it through this object:
 *
 * ```ts
 * const redis = createIoredisService({ url, keyPrefix: 'app:', l1: { maxEntries: 50_000 } });
 * const name = await redis.l1.get('user:1:name'); // from the L1 once read, until the key changes
 * ```
 *
 * An entry is served until the earliest of: an invalidation of its key (any write, by anyone,
 * with tracking; a write through the library, with the bus), its key's TTL in Redis (read with
 * PTTL alongside the value), `ttlMs`, or eviction. Values are shared between callers and frozen.
 * Writes through this service evict their keys at once.
 */
export class L1Cache {
  readonly #core: ServiceCore;
  readonly #store: L1Store;
  readonly #coherence: Coherence;
  readonly #ttlMs: number;
  readonly #prefix: string;

  /** @internal */
  constructor(core: ServiceCore, driver: RedisDriver, options: ResolvedL1Options) {
    if (driver.capabilities.cluster === true) {
      throw new RedisValidationError(
        'l1 is not available on a Redis Cluster yet: client-side tracking is per node, and the L1 would miss the invalidations of other nodes',
      );
    }
    this.#core = core;
    this.#prefix = core.options.keyPrefix;
    this.#ttlMs = options.ttlMs;
    this.#store = new L1Store(options.maxEntries, options.maxBytes);
    this.#coherence = this.#createCoherence(options.coherence ?? defaultCoherence(driver), driver);
  }

  /** The string at `key` (as `redis.get`), from the L1 when held. */
  get(key: string): Promise<string | null> {
    try {
      const node = this.#lookup(key, 'string');
      if (node) return Promise.resolve(node.value as string | null);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#fill(key, 'string').then((filled) => filled.value as string | null);
  }

  /** The JSON value at `key` (as `redis.getJson`), decoded once and kept. The type is a cast, not a check. */
  getJson<T = unknown>(key: string): Promise<T | null> {
    try {
      const node = this.#lookup(key, 'string');
      if (node) return Promise.resolve(this.#json(node) as T | null);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#fill(key, 'string').then(
      (filled) => (filled.node ? this.#json(filled.node) : this.#decode(filled.value, key)) as T | null,
    );
  }

  /** The value at `key` checked against `schema` (as `redis.getModel`); the output is kept for that schema. */
  async getModel<S extends Schema>(key: string, schema: S): Promise<SchemaOutput<S> | null> {
    let node = this.#lookup(key, 'string');
    if (!node) {
      const filled = await this.#fill(key, 'string');
      if (filled.value === null) return null;
      if (!filled.node) {
        return validateWithSchema(schema, decodeJson(filled.value as string, key), { key, when: 'read' });
      }
      node = filled.node;
    }
    const json = this.#json(node);
    if (json === null) return null;
    const forms = node.extra as TextForms;
    if (forms.schema === schema) return forms.output as SchemaOutput<S>;
    const output = deepFreeze(await validateWithSchema(schema, json, { key, when: 'read' }));
    if (forms.schema === undefined) this.#store.grow(node, decodedBytes((node.value as string).length));
    forms.schema = schema;
    forms.output = output;
    return output;
  }

  /** The fields and values of the hash at `key` (as `redis.hgetall`; `{}` when missing). */
  hgetall(key: string): Promise<Record<string, string>> {
    try {
      const node = this.#lookup(key, 'hash');
      if (node) return Promise.resolve(node.value as Record<string, string>);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#fill(key, 'hash').then((filled) => filled.value as Record<string, string>);
  }

  /** Live counters: entries, bytes, hits, misses, invalidations, flushes, whether it serves. */
  get stats(): L1Stats {
    const { counters } = this.#store;
    return {
      coherence: this.#coherence.kind,
      live: this.#store.serving,
      entries: this.#store.size,
      maxEntries: this.#store.maxEntries,
      bytes: this.#store.bytes,
      maxBytes: this.#store.maxBytes,
      hits: counters.hits,
      misses: counters.misses,
      invalidations: counters.invalidations,
      flushes: counters.flushes,
      evictions: counters.evictions,
      trackingClientId: this.#coherence.clientId,
    };
  }

  /**
   * Starts the coherence now (it starts on the first read otherwise) and resolves once the L1
   * serves. Rejects with the reason when it cannot start (e.g. `RedisConnectionError`); it is
   * tried again on later reads.
   */
  ready(): Promise<void> {
    return this.#coherence.ready();
  }

  /** Empties this process's L1 (Redis is not touched). */
  clear(): void {
    this.#store.flush();
  }

  /** @internal The store, for the getOrCompute layer. */
  get store(): L1Store {
    return this.#store;
  }

  /** @internal The longest an entry lives (ms). */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** @internal Starts the coherence if it is not under way. */
  ensureCoherence(): void {
    this.#coherence.ensure();
  }

  /** @internal Reads `command` and the key's PTTL in one round trip, through the service. */
  readWithTtl(command: RedisCommand, fullKey: string): Promise<BatchItemResult[]> {
    return this.#core.batch([command, ['PTTL', fullKey]], false, false);
  }

  /** @internal Publishes on the service's connection (the bus coherence's announcements). */
  publish(channel: string, message: string): Promise<unknown> {
    return this.#core.send(['PUBLISH', channel, message], false);
  }

  /** @internal How long a read may be stored, from its PTTL: `undefined` when it must not be. */
  lifetime(pttl: BatchItemResult | undefined, exists: boolean): number | undefined {
    if (!pttl?.ok || typeof pttl.value !== 'number') return undefined;
    const ms = pttl.value;
    if (exists ? ms === -1 : ms === -2) return this.#ttlMs;
    return exists && ms > 0 ? Math.min(ms, this.#ttlMs) : undefined;
  }

  /** @internal A write through the service was sent or settled: evict its keys, and announce it once settled. */
  written(written: WrittenKeys, phase: 'sent' | 'settled'): void {
    if (written === 'all') this.#store.flush();
    else {
      const prefix = this.#prefix;
      for (const key of written.keys) {
        if (key.startsWith(prefix)) this.#store.invalidate(key.slice(prefix.length), false);
      }
    }
    if (phase === 'settled') this.#coherence.announce(written);
  }

  /** @internal Stops the coherence (the service is closing). */
  close(): Promise<void> {
    return this.#coherence.close();
  }

  #createCoherence(kind: L1Coherence, driver: RedisDriver): Coherence {
    const store = this.#store;
    const keyPrefix = this.#prefix;
    switch (kind) {
      case 'tracking':
        return new TrackingCoherence({
          driver,
          store,
          keyPrefix,
          commandTimeoutMs: this.#core.options.commandTimeoutMs,
          describe: this.#core.describe,
        });
      case 'bus':
        return new BusCoherence({
          driver,
          store,
          keyPrefix,
          publish: (channel, message) => this.publish(channel, message),
        });
      case 'ttl':
        return new TtlCoherence(store);
    }
  }

  #lookup(key: string, kind: L1Kind): L1Node | undefined {
    requireKey(key);
    return this.#store.lookup(key, kind, monotonic.now());
  }

  async #fill(key: string, kind: 'string' | 'hash'): Promise<Filled> {
    this.#coherence.ensure();
    const full = this.#prefix + key;
    const ticket = this.#store.begin(key);
    const started = monotonic.now();
    let value: string | null | Record<string, string>;
    let textLength: number;
    let items: BatchItemResult[];
    try {
      items = await this.readWithTtl([kind === 'string' ? 'GET' : 'HGETALL', full], full);
      const read = items[0]!;
      if (!read.ok) throw read.error;
      if (kind === 'string') {
        value = asNullableString(read.value);
        textLength = value?.length ?? 0;
      } else {
        value = deepFreeze(asRecord(read.value));
        textLength = recordTextLength(value);
      }
    } catch (error) {
      this.#store.cancel(ticket);
      throw error;
    }
    return { value, node: this.#commit(ticket, kind, value, textLength, started, items[1]) };
  }

  #commit(
    ticket: FillTicket,
    kind: 'string' | 'hash',
    value: string | null | Record<string, string>,
    textLength: number,
    started: number,
    pttl: BatchItemResult | undefined,
  ): L1Node | undefined {
    const exists = kind === 'string' ? value !== null : Object.keys(value as object).length > 0;
    const lifetime = this.lifetime(pttl, exists);
    if (lifetime === undefined) {
      this.#store.cancel(ticket);
      return undefined;
    }
    return this.#store.commit(ticket, {
      kind,
      value,
      bytes: estimateBytes(ticket.key, textLength),
      expiresAt: started + lifetime,
      freshUntil: started + lifetime,
      extra: kind === 'string' ? ({} satisfies TextForms) : undefined,
    });
  }

  #json(node: L1Node): unknown {
    const forms = node.extra as TextForms;
    if (forms.decoded) return forms.json;
    const json = this.#decode(node.value, node.key);
    if (node.value !== null) this.#store.grow(node, decodedBytes((node.value as string).length));
    forms.json = json;
    forms.decoded = true;
    return json;
  }

  #decode(text: unknown, key: string): unknown {
    return text === null ? null : deepFreeze(decodeJson(text as string, key));
  }
}

function defaultCoherence(driver: RedisDriver): L1Coherence {
  if (driver.capabilities.tracking && driver.openDedicated) return 'tracking';
  if (driver.capabilities.pubsub && driver.subscribe) return 'bus';
  throw new RedisCapabilityError(
    'pubsub',
    driver.name,
    "an L1 that hears of changes (it needs 'tracking' or 'pubsub'; pass l1.coherence: 'ttl' to rely on the TTL alone)",
  );
}
