import type { RedisReply } from '@redis-service/core';
import { normalizeReply as normalize } from '@redis-service/core/adapter';
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

/**
 * Turns a reply decoded with `REPLY_TYPE_MAPPING` into the port's `RedisReply`: the toolkit's
 * `normalizeReply` with a JS number read as a RESP3 double (integers arrive as text):
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
  return normalize(raw, binary, 'double');
}
