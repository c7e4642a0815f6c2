import { encodeJson } from '../codec/json.js';
import { type Schema, type SchemaInput, validateWithSchema } from '../codec/schema.js';
import { RedisCommands } from '../commands/redis-commands.js';
import { asStringArray } from '../commands/replies.js';
import { type Entries, entryPairs } from '../commands/strings.js';
import { type ExpiryOptions, expiryArgs, requireKey, requirePositiveInteger } from '../commands/validate.js';
import { RedisSerializationError } from '../errors/redis-error.js';
import type { InflightLimiter, InflightStats } from '../limiter/inflight-limiter.js';
import type { DriverCapabilities } from '../port/capabilities.js';
import type { LuaScript, RedisDriver } from '../port/driver.js';
import type { RedisArg, RedisCommand, RedisReply } from '../port/reply.js';
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

/** Options of `command`. */
export interface RawCommandOptions {
  /** Return bulk strings as `Uint8Array`. Needs the `binary` capability. */
  readonly binary?: boolean;
  /** Stop waiting (for a permit or the reply) when this fires. */
  readonly signal?: AbortSignal;
}

const GLOB_SPECIAL = /[*?[\]\\]/g;

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
export class RedisService extends RedisCommands implements AsyncDisposable {
  #closing: Promise<void> | undefined;

  /**
   * @param driver the adapter's driver (see `@redis-service/adapter-*`)
   * @param options key prefix, inflight ceiling and command timeout
   * @param limiter share one limiter between services of the same endpoint (advanced)
   */
  constructor(driver: RedisDriver, options?: RedisServiceOptions, limiter?: InflightLimiter) {
    super(new ServiceCore(driver, options, limiter));
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

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.core.executor.closed;
  }

  /**
   * Sends any command as-is (no key prefix, no validation beyond the argument types) and resolves
   * with the normalized reply. Integers beyond 2^53 arrive as `bigint`.
   */
  command(command: RedisCommand, options?: RawCommandOptions): Promise<RedisReply> {
    return this.core.send(command, options?.binary === true, options?.signal);
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
      this.core.refuseBytesUnlessBinary(args);
      return this.core.executor.run(() => this.core.driver.evalScript(script, keys, args));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Iterates over keys with SCAN (never KEYS), yielding them without the key prefix. As with SCAN
   * itself, a key may be yielded more than once if the keyspace changes during the scan.
   */
  async *scan(options: ScanOptions = {}): AsyncGenerator<string, void, undefined> {
    const count = requirePositiveInteger(options.count ?? 100, 'count');
    const match = this.core.options.keyPrefix.replace(GLOB_SPECIAL, '\\$&') + (options.match ?? '*');
    const typeArgs = options.type === undefined ? [] : ['TYPE', requireKey(options.type, 'type')];
    let cursor = '0';
    do {
      const reply = await this.core.send(
        ['SCAN', cursor, 'MATCH', match, 'COUNT', count, ...typeArgs],
        false,
      );
      if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== 'string') {
        throw new RedisSerializationError('unexpected reply to SCAN');
      }
      cursor = reply[0];
      for (const key of asStringArray(reply[1] ?? [])) yield this.unprefix(key);
    } while (cursor !== '0');
  }

  /**
   * Stores several JSON values. Without a TTL this is one MSET; with one it is one batch of
   * `SET ... PX` (a MULTI/EXEC when the driver has transactions), never one round trip per key.
   * Every value is encoded before anything is sent.
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
   * Closes the service: commands in flight or waiting for a permit reject with `RedisClosedError`,
   * then the driver closes. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      this.core.executor.close();
      this.#closing = Promise.resolve().then(() => this.core.driver.close());
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
    const items = await this.core.batch(commands, this.core.driver.capabilities.transactions, false);
    for (const item of items) if (!item.ok) throw item.error;
    if (items.length !== commands.length) {
      throw new RedisSerializationError(
        `the ${this.core.driver.name} driver returned ${items.length} results for ${commands.length} commands`,
      );
    }
  }
}
