import { type RedisReply, RedisReplyError, RedisSerializationError } from '@redis-service/core';

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Turns a raw ioredis reply (as `callBuffer` and pipelines deliver it) into the port's `RedisReply`.
 *
 * With `callBuffer`, ioredis hands simple, bulk and verbatim strings over as Buffers, so a JS
 * string can only be a number that ioredis kept as text: an integer with `stringNumbers: true`,
 * a RESP3 big number, or a RESP3 double with `stringNumbers`. Integer text becomes an exact
 * `number` or `bigint`; other text stays a string. A JS number is an integer unless it has a
 * fraction (a RESP3 double under `replyMapping: 'resp3'`), which is written back as Redis would.
 * RESP3 shapes under `replyMapping: 'resp3'` are folded back to RESP2 ones: maps become flat
 * `[key, value, ...]` arrays, sets arrays, booleans `1`/`0`.
 *
 * An error nested in an array (a Lua table with an `err` field) has no place in `RedisReply` and
 * is thrown as `RedisReplyError`.
 *
 * @param binary return strings as bytes (Node Buffers, which are `Uint8Array`s) instead of UTF-8 text
 */
export function normalizeReply(raw: unknown, binary: boolean): RedisReply {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Uint8Array) return binary ? raw : utf8(raw);
  switch (typeof raw) {
    case 'string':
      return INTEGER_TEXT.test(raw) ? exactInteger(raw) : text(raw, binary);
    case 'number':
      return Number.isInteger(raw) ? integerFromNumber(raw) : text(doubleText(raw), binary);
    case 'bigint':
      return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw ? 1 : 0;
    case 'object':
      return normalizeObject(raw, binary);
    default:
      throw new RedisSerializationError(`unexpected ${typeof raw} in an ioredis reply`);
  }
}

function normalizeObject(raw: object, binary: boolean): RedisReply {
  if (Array.isArray(raw)) return raw.map((item: unknown) => normalizeReply(item, binary));
  if (raw instanceof Error) throw new RedisReplyError(raw.message, { cause: raw });
  if (raw instanceof String) return text(raw.valueOf(), binary);
  if (raw instanceof Set) return [...raw].map((item: unknown) => normalizeReply(item, binary));
  if (raw instanceof Map) {
    return [...raw].flatMap(([key, value]: [unknown, unknown]) => [
      normalizeReply(key, binary),
      normalizeReply(value, binary),
    ]);
  }
  // A RESP3 map decoded to a plain object (replyMapping 'resp3'): its keys were strings on the wire.
  return Object.entries(raw).flatMap(([key, value]: [string, unknown]) => [
    text(key, binary),
    normalizeReply(value, binary),
  ]);
}

function exactInteger(digits: string): number | bigint {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : BigInt(digits);
}

/**
 * ioredis without `stringNumbers` decodes integers as JS numbers, which are already rounded beyond
 * 2^53; a `bigint` keeps the shape the port promises, but it cannot restore the lost digits.
 */
function integerFromNumber(value: number): number | bigint {
  return Number.isSafeInteger(value) ? value : BigInt(value);
}

/** A double as Redis writes it in RESP2 (RESP3 sends doubles as their own type). */
export function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

function utf8(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8');
}

function text(value: string, binary: boolean): string | Uint8Array {
  return binary ? Buffer.from(value) : value;
}
