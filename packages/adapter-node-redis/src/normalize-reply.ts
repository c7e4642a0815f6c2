import { type RedisReply, RedisReplyError, RedisSerializationError } from '@redis-service/core';
import { RESP_TYPES, type TypeMapping } from 'redis';

/**
 * The node-redis type mapping every command of the driver is sent with (it replaces the client's
 * own for that command). It makes each wire type recognizable in JavaScript, so that
 * `normalizeReply` can tell them apart:
 *
 * - integers as their decimal text (`NUMBER: String`): node-redis otherwise builds a JS number
 *   digit by digit, which is already rounded beyond 2^53. A JS string in a reply is therefore
 *   always an integer;
 * - simple, bulk and verbatim strings as Buffers, so they cannot be mistaken for integer text and
 *   binary values survive;
 * - RESP3 maps as `Map` (not a plain object, which would lose non-string keys and key order).
 *
 * RESP3 doubles stay JS numbers, big numbers `bigint`s, booleans booleans, sets arrays.
 */
export const REPLY_TYPE_MAPPING: TypeMapping = Object.freeze({
  [RESP_TYPES.NUMBER]: String,
  [RESP_TYPES.SIMPLE_STRING]: Buffer,
  [RESP_TYPES.BLOB_STRING]: Buffer,
  [RESP_TYPES.VERBATIM_STRING]: Buffer,
  [RESP_TYPES.MAP]: Map,
});

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Turns a reply decoded with `REPLY_TYPE_MAPPING` into the port's `RedisReply`:
 *
 * - nil -> `null`;
 * - integer text -> `number` when safe, else the exact `bigint`;
 * - strings (Buffers) -> UTF-8 text, or the bytes themselves when `binary` (a Buffer is a `Uint8Array`);
 * - RESP3 folds back to what RESP2 sends: a map -> flat `[key, value, ...]` array, a set -> array,
 *   a double -> its text (`inf`, `-inf`, `nan` as Redis spells them), a boolean -> `1`/`0`, a
 *   big number -> `number` or `bigint` like an integer;
 * - an error nested in an array (a Lua table with an `err` field) has no place in a reply and is
 *   thrown as `RedisReplyError`.
 */
export function normalizeReply(raw: unknown, binary: boolean): RedisReply {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Uint8Array) return binary ? raw : bufferText(raw);
  switch (typeof raw) {
    case 'string':
      return INTEGER_TEXT.test(raw) ? exactInteger(raw) : text(raw, binary);
    case 'number':
      return text(formatDouble(raw), binary);
    case 'bigint':
      return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw ? 1 : 0;
    case 'object':
      return normalizeObject(raw, binary);
    default:
      throw new RedisSerializationError(`unexpected ${typeof raw} in a node-redis reply`);
  }
}

/**
 * A RESP3 map key. node-redis always decodes string keys as JS strings (whatever the type
 * mapping), so here a JS string is a string, not integer text; in binary mode it is given back as
 * its UTF-8 bytes (a key that was not valid UTF-8 cannot be restored exactly over RESP3).
 */
export function normalizeMapKey(key: unknown, binary: boolean): RedisReply {
  return typeof key === 'string' ? text(key, binary) : normalizeReply(key, binary);
}

function normalizeObject(raw: object, binary: boolean): RedisReply {
  if (Array.isArray(raw)) {
    const items = new Array<RedisReply>(raw.length);
    for (let i = 0; i < raw.length; i++) items[i] = normalizeReply(raw[i], binary);
    return items;
  }
  if (raw instanceof Error) throw new RedisReplyError(raw.message, { cause: raw });
  if (raw instanceof Map) {
    const flat: RedisReply[] = [];
    for (const [key, value] of raw as Map<unknown, unknown>) {
      flat.push(normalizeMapKey(key, binary), normalizeReply(value, binary));
    }
    return flat;
  }
  if (raw instanceof Set) return [...(raw as Set<unknown>)].map((item) => normalizeReply(item, binary));
  // A VerbatimString, should a caller's mapping ever produce one: text either way.
  if (raw instanceof String) return text(raw.valueOf(), binary);
  // A RESP3 map decoded to a plain object: its keys were strings on the wire.
  return Object.entries(raw).flatMap(([key, value]: [string, unknown]) => [
    text(key, binary),
    normalizeReply(value, binary),
  ]);
}

function exactInteger(digits: string): number | bigint {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : BigInt(digits);
}

function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

function bufferText(bytes: Uint8Array): string {
  return Buffer.isBuffer(bytes)
    ? bytes.toString()
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString();
}

function text(value: string, binary: boolean): string | Uint8Array {
  return binary ? Buffer.from(value) : value;
}
