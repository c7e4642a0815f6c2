import { utf8Encode } from '../codec/utf8.js';
import { RedisReplyError, RedisSerializationError } from '../errors/redis-error.js';
import type { RedisReply } from '../port/reply.js';

/**
 * What a JavaScript number in a decoded reply stands for, which depends on how the client decodes:
 *
 * - `'integer'`: an integer reply (ioredis and its forks without `stringNumbers`); a number with a
 *   fraction can only be a RESP3 double and is written as text. An integer beyond 2^53 is
 *   returned as a `bigint` of the value the client computed (which the client may have rounded);
 * - `'double'`: a RESP3 double, always (node-redis with integers mapped to text): written as
 *   text, as RESP2 sends doubles, `3` as `'3'`.
 */
export type NumberDecoding = 'integer' | 'double';

const INTEGER_TEXT = /^-?\d+$/;
// Not `utf8Decode`: a reply's bytes are data, so a leading byte order mark is kept, as RESP2 text.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Turns a reply as a JavaScript Redis client decoded it into the port's `RedisReply`. It expects
 * a client set up so that every wire type is recognizable (see the adapter walkthrough in
 * ARCHITECTURE.md): simple, bulk and verbatim strings as bytes (`Uint8Array`, so a Node `Buffer`
 * too), integers as their decimal text or as numbers (`numbers`). Then:
 *
 * - nil (`null`, `undefined`) -> `null`;
 * - bytes -> UTF-8 text, or the bytes themselves when `binary`;
 * - a string that is integer text -> `number` when safe, else the exact `bigint`; any other
 *   string is text (a RESP3 big number or double some clients keep as text);
 * - a number -> see `NumberDecoding`; a `bigint` (a RESP3 big number) -> `number` when safe;
 * - RESP3 shapes fold to what RESP2 sends: a boolean -> `1` / `0`, a set -> array, a map (`Map`
 *   or plain object) -> flat `[key, value, ...]` array, where a key the client decoded to a JS
 *   string is text even when it looks like an integer (clients decode map keys as strings);
 * - an error nested in an array (a Lua table with an `err` field, a failed command inside EXEC)
 *   has no place in a reply and is thrown as `RedisReplyError` with its message.
 *
 * Command-specific RESP3 structures (nested score pairs, XREAD's map) are `resp2Shape`'s business;
 * `normalizeCommandReply` does both.
 *
 * @param binary give strings as bytes (`Uint8Array`) instead of UTF-8 text
 * @throws RedisSerializationError for a value no Redis client decodes to (a function, a symbol)
 */
export function normalizeReply(
  raw: unknown,
  binary: boolean,
  numbers: NumberDecoding = 'integer',
): RedisReply {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Uint8Array) return binary ? raw : utf8.decode(raw);
  switch (typeof raw) {
    case 'string':
      return INTEGER_TEXT.test(raw) ? exactInteger(raw) : text(raw, binary);
    case 'number':
      if (numbers === 'integer' && Number.isInteger(raw)) {
        return Number.isSafeInteger(raw) ? raw : BigInt(raw);
      }
      return text(doubleText(raw), binary);
    case 'bigint':
      return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw ? 1 : 0;
    case 'object':
      return normalizeObject(raw, binary, numbers);
    default:
      throw new RedisSerializationError(`unexpected ${typeof raw} in a reply`);
  }
}

/**
 * A map key as `normalizeReply` reads it: a JS string is text (never integer text), anything
 * else is normalized as a value.
 */
export function normalizeMapKey(
  key: unknown,
  binary: boolean,
  numbers: NumberDecoding = 'integer',
): RedisReply {
  return typeof key === 'string' ? text(key, binary) : normalizeReply(key, binary, numbers);
}

/** A double as Redis writes it in RESP2: `inf`, `-inf` and `nan` spelled its way, others as JavaScript does. */
export function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

function normalizeObject(raw: object, binary: boolean, numbers: NumberDecoding): RedisReply {
  if (Array.isArray(raw)) {
    // A plain loop: this runs for every array reply, and map() would allocate a closure each time.
    const items = new Array<RedisReply>(raw.length);
    for (let i = 0; i < raw.length; i++) items[i] = normalizeReply(raw[i], binary, numbers);
    return items;
  }
  if (raw instanceof Error) throw new RedisReplyError(raw.message, { cause: raw });
  if (raw instanceof Map) {
    const flat: RedisReply[] = [];
    for (const [key, value] of raw as Map<unknown, unknown>) {
      flat.push(normalizeMapKey(key, binary, numbers), normalizeReply(value, binary, numbers));
    }
    return flat;
  }
  if (raw instanceof Set)
    return [...(raw as Set<unknown>)].map((item) => normalizeReply(item, binary, numbers));
  // A verbatim string some clients decode to a String object: text either way.
  if (raw instanceof String) return text(raw.valueOf(), binary);
  // A RESP3 map decoded to a plain object: its keys were strings on the wire.
  return Object.entries(raw).flatMap(([key, value]: [string, unknown]) => [
    text(key, binary),
    normalizeReply(value, binary, numbers),
  ]);
}

function exactInteger(digits: string): number | bigint {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : BigInt(digits);
}

function text(value: string, binary: boolean): string | Uint8Array {
  return binary ? utf8Encode(value) : value;
}
