import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';

/** A value a string-typed command can store. */
export type RedisValue = string | number | Uint8Array;

/**
 * Rejects anything but a non-empty, well-formed string: the one check of every key, hash field,
 * channel and pattern.
 */
export function requireKey(key: unknown, what = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new RedisValidationError(`${what} must be a non-empty string, got ${describe(key)}`);
  }
  return requireWellFormed(key, what);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one. Without
// the `u` flag the pattern sees UTF-16 code units, which is the point.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// `String.prototype.isWellFormed` (ES2024) is not on every runtime core supports; where it is, it
// is the check on the path of every key and value (a built-in scan, several times cheaper than the
// pattern), and the pattern only finds the index for the message.
const isWellFormed: ((text: string) => boolean) | undefined =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : undefined;

/**
 * Rejects a string that is not well-formed UTF-16 (it holds a lone surrogate). UTF-8, which every
 * driver sends, has no form for one: it becomes U+FFFD, so `'q\uD800'` and `'q\uDBFF'` would name
 * the same key, and a value would be stored changed. Bytes (`Uint8Array`) store anything.
 */
export function requireWellFormed(text: string, what: string): string {
  if (isWellFormed?.(text) === true) return text;
  const found = LONE_SURROGATE.exec(text);
  if (found) {
    throw new RedisValidationError(
      `${what} is not well-formed UTF-16: a lone surrogate at index ${found.index} would reach Redis as U+FFFD, so different strings would collide (use well-formed text, or bytes for a value)`,
    );
  }
  return text;
}

/** Rejects an empty or non-array list (MGET, DEL, ... with nothing to act on). */
export function requireNonEmpty<T>(items: readonly T[], what: string): readonly T[] {
  if (!Array.isArray(items) || items.length === 0) {
    throw new RedisValidationError(`${what} needs at least one item`);
  }
  return items;
}

/**
 * Rejects `undefined`, `null`, booleans, objects: only well-formed strings, finite numbers and
 * bytes are stored as-is.
 */
export function requireValue(value: unknown, what = 'value'): RedisValue {
  if (typeof value === 'string') return requireWellFormed(value, what);
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RedisValidationError(`${what} must be a finite number, got ${value}`);
    return value;
  }
  throw new RedisValidationError(
    `${what} must be a string, a finite number or a Uint8Array, got ${describe(value)} (use setJson for structured values)`,
  );
}

/** Rejects anything but a safe integer. */
export function requireInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RedisValidationError(`${what} must be a safe integer, got ${describe(value)}`);
  }
  return value;
}

/** Rejects NaN and infinities (scores, increments). */
export function requireFinite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RedisValidationError(`${what} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** Rejects anything but a positive integer (TTLs, counts). */
export function requirePositiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RedisValidationError(`${what} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** Rejects anything but a safe integer >= 0 (offsets, counts where 0 means "all"). */
export function requireNonNegativeInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RedisValidationError(`${what} must be an integer >= 0, got ${describe(value)}`);
  }
  return value;
}

/** Rejects anything but one of `choices` (case-sensitive), naming them. */
export function requireChoice<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new RedisValidationError(`${what} must be one of ${choices.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/**
 * A point in time as a Unix timestamp in `unit`: a `Date` (its whole second, for seconds) or a
 * number already in that unit. Invalid dates, negative and fractional numbers are refused.
 */
export function requireTimestamp(value: unknown, unit: 'seconds' | 'milliseconds', what: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms) || ms < 0)
      throw new RedisValidationError(`${what} must be a valid date after 1970`);
    return unit === 'seconds' ? Math.floor(ms / 1000) : ms;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RedisValidationError(
      `${what} must be a Date or a Unix time in whole ${unit} (an integer >= 0), got ${describe(value)}`,
    );
  }
  return value;
}

/** Expiry options shared by SET-like commands. */
export interface ExpiryOptions {
  /** Time to live in whole seconds (a positive integer). */
  readonly ttl?: number;
  /** Time to live in whole milliseconds (a positive integer). */
  readonly ttlMs?: number;
}

/** The EX/PX arguments for an expiry, or none. Both at once is refused. */
export function expiryArgs(options: ExpiryOptions | undefined): RedisArg[] {
  if (!options) return [];
  const { ttl, ttlMs } = options;
  if (ttl !== undefined && ttlMs !== undefined) throw new RedisValidationError('give ttl or ttlMs, not both');
  if (ttl !== undefined) return ['EX', requirePositiveInteger(ttl, 'ttl (seconds)')];
  if (ttlMs !== undefined) return ['PX', requirePositiveInteger(ttlMs, 'ttlMs')];
  return [];
}

/** Refuses option pairs that exclude each other, naming them. */
export function exclusive(options: object | undefined, names: readonly string[]): void {
  if (!options) return;
  const record = options as Record<string, unknown>;
  const given = names.filter((name) => record[name] !== undefined && record[name] !== false);
  if (given.length > 1) throw new RedisValidationError(`options ${given.join(' and ')} exclude each other`);
}

/** A short description of a value for error messages (never the value's full content). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return 'a bigint';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  return `a ${typeof value}`;
}

/** Rejects a raw argument list holding a string that is not well-formed UTF-16 (see `requireWellFormed`). */
export function requireWellFormedArgs(args: readonly RedisArg[], what: string): void {
  for (const arg of args) if (typeof arg === 'string') requireWellFormed(arg, what);
}
