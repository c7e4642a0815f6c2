import { utf8Decode, utf8Encode } from '../codec/utf8.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import { RESP3_PAIRED_REPLY_COMMANDS, RESP3_STREAM_MAP_COMMANDS } from '../port/resp3-reply-shapes.js';
import { doubleText, type NumberDecoding, normalizeReply } from './normalize-reply.js';

/**
 * Gives a raw reply read over RESP3 the structure RESP2 gives it, for the commands whose reply
 * *structure* differs between the protocols (`RESP3_PAIRED_REPLY_COMMANDS`,
 * `RESP3_STREAM_MAP_COMMANDS`); the wire types are `normalizeReply`'s business. Runs on what the
 * client decoded, before `normalizeReply`. It looks at the reply's shape, not at the protocol, so
 * it is safe to call on every reply: a RESP2 reply is returned as it is.
 *
 * - `[[member, score], ...]` (ZRANGE ... WITHSCORES and the rest of the paired family) becomes
 *   `[member, score, ...]`. A score is a RESP3 double that the client gave as a number or as text;
 *   it is turned back into the bytes RESP2 would have sent, so it is never read as an integer
 *   (nested or not: ZPOPMIN without a count answers one flat pair);
 * - XREAD's and XREADGROUP's `{stream: entries}` map (a `Map`, a plain object, or the flat
 *   `[stream, entries, ...]` array some clients make of it) becomes `[[stream, entries], ...]`,
 *   stream names as bytes so that a name like `123` stays text.
 *
 * @param command the command's name, in any case (the first argument of the command as sent)
 */
export function resp2Shape(command: RedisArg | undefined, raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || raw instanceof Uint8Array) return raw;
  if (Array.isArray(raw)) {
    if (raw.length === 0) return raw;
    const name = upper(command);
    if (RESP3_PAIRED_REPLY_COMMANDS.has(name)) return flattenPairs(raw);
    // A RESP2 XREAD reply is an array of [stream, entries] arrays; a flat one was a map.
    return RESP3_STREAM_MAP_COMMANDS.has(name) && !Array.isArray(raw[0]) ? pairUp(raw) : raw;
  }
  if (!RESP3_STREAM_MAP_COMMANDS.has(upper(command))) return raw;
  if (raw instanceof Map) {
    return [...(raw as Map<unknown, unknown>)].map(([name, entries]) => [asBytes(name), entries]);
  }
  if (raw instanceof Error || raw instanceof Set || raw instanceof String) return raw;
  return Object.entries(raw).map(([name, entries]: [string, unknown]) => [utf8Encode(name), entries]);
}

/**
 * `normalizeReply(resp2Shape(command, raw), binary, numbers)`: the one call an adapter makes per
 * reply.
 *
 * @param command the command's name, in any case
 */
export function normalizeCommandReply(
  command: RedisArg | undefined,
  raw: unknown,
  binary: boolean,
  numbers: NumberDecoding = 'integer',
): RedisReply {
  return normalizeReply(resp2Shape(command, raw), binary, numbers);
}

/**
 * Nested pairs flattened, and every score that is not bytes made bytes: over RESP2 these replies
 * hold bulk strings only, so a number or a JS string here is a RESP3 double (also in the flat
 * `[member, score]` of ZPOPMIN without a count).
 */
function flattenPairs(raw: readonly unknown[]): unknown[] {
  const flat: unknown[] = [];
  for (const item of raw) {
    if (Array.isArray(item)) for (const part of item) flat.push(pairPart(part));
    else flat.push(pairPart(item));
  }
  return flat;
}

function pairUp(raw: readonly unknown[]): unknown[] {
  const streams: unknown[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    streams.push([asBytes(raw[index]), raw[index + 1]]);
  }
  return streams;
}

/** A score as RESP2 bytes: a number as Redis writes a double, text as it is. */
function pairPart(part: unknown): unknown {
  if (typeof part === 'string') return utf8Encode(part);
  if (typeof part === 'number') return utf8Encode(doubleText(part));
  return part;
}

function asBytes(name: unknown): unknown {
  return typeof name === 'string' ? utf8Encode(name) : name;
}

function upper(command: RedisArg | undefined): string {
  if (command === undefined) return '';
  return (command instanceof Uint8Array ? utf8Decode(command) : String(command)).toUpperCase();
}
