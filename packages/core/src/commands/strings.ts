import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';
import { KeyCommands } from './keys.js';
import {
  asCounter,
  asInteger,
  asNullableBytes,
  asNullableString,
  asNullableStringArray,
  asOk,
  asScore,
  asSetResult,
  asString,
} from './replies.js';
import {
  type ExpiryOptions,
  exclusive,
  expiryArgs,
  type RedisValue,
  requireFinite,
  requireInteger,
  requireNonEmpty,
  requireNonNegativeInteger,
  requireTimestamp,
  requireValue,
} from './validate.js';

/** Options of `set` (and `setJson`, `setModel`). */
export interface SetOptions extends ExpiryOptions {
  /** Only set if the key does not exist. */
  readonly nx?: boolean;
  /** Only set if the key already exists. */
  readonly xx?: boolean;
  /** Keep the key's current time to live (excludes `ttl`/`ttlMs`). */
  readonly keepTtl?: boolean;
}

/** The SET arguments after the value. */
export function setArgs(options: SetOptions | undefined): (string | number)[] {
  if (!options) return [];
  exclusive(options, ['nx', 'xx']);
  const expiry = expiryArgs(options) as (string | number)[];
  if (options.keepTtl && expiry.length > 0) throw new RedisValidationError('keepTtl excludes ttl and ttlMs');
  const args = expiry;
  if (options.keepTtl) args.push('KEEPTTL');
  if (options.nx) args.push('NX');
  if (options.xx) args.push('XX');
  return args;
}

/** Options of `getex`: at most one of them; none reads the value like `get`. */
export interface GetExOptions extends ExpiryOptions {
  /** Expire at this point in time: a `Date` (its whole second) or a Unix time in seconds. */
  readonly expireAt?: Date | number;
  /** Expire at this point in time: a `Date` or a Unix time in milliseconds. */
  readonly expireAtMs?: Date | number;
  /** Remove the key's time to live. */
  readonly persist?: boolean;
}

function getExArgs(options: GetExOptions | undefined): RedisArg[] {
  if (!options) return [];
  exclusive(options, ['ttl', 'ttlMs', 'expireAt', 'expireAtMs', 'persist']);
  if (options.expireAt !== undefined)
    return ['EXAT', requireTimestamp(options.expireAt, 'seconds', 'expireAt')];
  if (options.expireAtMs !== undefined)
    return ['PXAT', requireTimestamp(options.expireAtMs, 'milliseconds', 'expireAtMs')];
  if (options.persist) return ['PERSIST'];
  return expiryArgs(options);
}

/** Entries for MSET-like commands: a record or `[key, value]` pairs. */
export type Entries<V> = Readonly<Record<string, V>> | readonly (readonly [string, V])[];

/** Normalizes entries to pairs, refusing an empty set. */
export function entryPairs<V>(entries: Entries<V>, what: string): (readonly [string, V])[] {
  const pairs = Array.isArray(entries)
    ? [...(entries as readonly (readonly [string, V])[])]
    : Object.entries(entries as Record<string, V>);
  return [...requireNonEmpty(pairs, what)];
}

/** Commands on string values. */
export class StringCommands extends KeyCommands {
  /** The value at `key` as text, or `null` when missing. */
  get(key: string): Promise<string | null> {
    return this.call(() => ['GET', this.key(key)], asNullableString);
  }

  /** The value at `key` as bytes, or `null` when missing. Needs the `binary` capability. */
  getBytes(key: string): Promise<Uint8Array | null> {
    return this.call(() => ['GET', this.key(key)], asNullableBytes, true);
  }

  /**
   * Stores a value. Resolves `true` when it was set, `false` when `nx`/`xx` prevented it.
   * `undefined`, `null`, NaN and negative or fractional TTLs are refused before anything is sent.
   */
  set(key: string, value: RedisValue, options?: SetOptions): Promise<boolean> {
    return this.call(() => ['SET', this.key(key), requireValue(value), ...setArgs(options)], asSetResult);
  }

  /**
   * Adds `by` (default 1, an integer) to the integer at `key`; a missing key counts as 0. A new
   * value beyond 2^53 rejects with `RedisUnsafeIntegerError` (`applied: true`, the exact `value`):
   * the increment happened, so do not retry it.
   */
  incr(key: string, by = 1): Promise<number> {
    return this.call(
      () => (by === 1 ? ['INCR', this.key(key)] : ['INCRBY', this.key(key), requireInteger(by, 'increment')]),
      asCounter,
    );
  }

  /** Subtracts `by` (default 1, an integer) from the integer at `key`; beyond ±2^53 as `incr`. */
  decr(key: string, by = 1): Promise<number> {
    return this.call(
      () => (by === 1 ? ['DECR', this.key(key)] : ['DECRBY', this.key(key), requireInteger(by, 'decrement')]),
      asCounter,
    );
  }

  /** The values at several keys, `null` for each missing one. An empty list is refused. */
  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.call(() => ['MGET', ...this.keys(requireNonEmpty(keys, 'mget'))], asNullableStringArray);
  }

  /**
   * Stores several values atomically. An empty set or any invalid value is refused before anything
   * is sent. On a cluster, keys of different slots are written by one MSET per slot, in parallel:
   * atomic within a slot, not across slots (co-locate keys with `hashTag()` to keep it atomic).
   */
  mset(entries: Entries<RedisValue>): Promise<true> {
    return this.call(() => {
      const args: (string | number | Uint8Array)[] = ['MSET'];
      for (const [key, value] of entryPairs(entries, 'mset'))
        args.push(this.key(key), requireValue(value, `value for '${key}'`));
      return args;
    }, asOk);
  }

  /** Reads the value at `key` and deletes the key (GETDEL); `null` when it was missing. */
  getdel(key: string): Promise<string | null> {
    return this.call(() => ['GETDEL', this.key(key)], asNullableString);
  }

  /**
   * Reads the value at `key` and changes its expiry (GETEX): a TTL (`ttl`, `ttlMs`), a point in
   * time (`expireAt`, `expireAtMs`) or `persist`, at most one. `null` when the key is missing.
   */
  getex(key: string, options?: GetExOptions): Promise<string | null> {
    return this.call(() => ['GETEX', this.key(key), ...getExArgs(options)], asNullableString);
  }

  /**
   * The substring from byte `start` to byte `end`, inclusive (negative counts from the end); `''`
   * for a missing key or an empty range. Offsets are in bytes, not characters.
   */
  getrange(key: string, start: number, end: number): Promise<string> {
    return this.call(
      () => ['GETRANGE', this.key(key), requireInteger(start, 'start'), requireInteger(end, 'end')],
      asString,
    );
  }

  /**
   * Overwrites the value at `key` from byte `offset` on (padding with zero bytes past its end).
   * Resolves with the value's new length in bytes.
   */
  setrange(key: string, offset: number, value: RedisValue): Promise<number> {
    return this.call(
      () => ['SETRANGE', this.key(key), requireNonNegativeInteger(offset, 'offset'), requireValue(value)],
      asInteger,
    );
  }

  /** Appends to the value at `key` (a missing key counts as empty). Resolves with the new length in bytes. */
  append(key: string, value: RedisValue): Promise<number> {
    return this.call(() => ['APPEND', this.key(key), requireValue(value)], asInteger);
  }

  /** The value's length in bytes; 0 for a missing key. */
  strlen(key: string): Promise<number> {
    return this.call(() => ['STRLEN', this.key(key)], asInteger);
  }

  /** Adds `by` (a finite number) to the number at `key`; a missing key counts as 0. Resolves with the new value. */
  incrByFloat(key: string, by: number): Promise<number> {
    return this.call(() => ['INCRBYFLOAT', this.key(key), requireFinite(by, 'increment')], asScore);
  }
}
