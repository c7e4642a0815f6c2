import { RedisSerializationError } from '../errors/redis-error.js';
import type { RedisReply } from '../port/reply.js';
import { RedisUnsafeIntegerError } from './unsafe-integer-error.js';

/** Turns a normalized reply into what a typed command returns. Throws on a shape the command cannot have. */
export type Decoder<T> = (reply: RedisReply) => T;

function unexpected(expected: string, reply: RedisReply): never {
  const shown = Array.isArray(reply)
    ? 'an array'
    : reply instanceof Uint8Array
      ? 'bytes'
      : `${typeof reply} ${String(reply)}`;
  throw new RedisSerializationError(`unexpected reply: expected ${expected}, got ${shown}`);
}

/** A bulk string or nil. */
export const asNullableString: Decoder<string | null> = (reply) => {
  if (reply === null || typeof reply === 'string') return reply;
  return unexpected('a string or nil', reply);
};

/** Bytes or nil (binary commands). */
export const asNullableBytes: Decoder<Uint8Array | null> = (reply) => {
  if (reply === null || reply instanceof Uint8Array) return reply;
  return unexpected('bytes or nil', reply);
};

/** An integer reply that must fit a JS number exactly (a read: nothing was changed). */
export const asInteger: Decoder<number> = (reply) => {
  if (typeof reply === 'number' && Number.isInteger(reply)) return reply;
  if (typeof reply === 'bigint') throw new RedisUnsafeIntegerError(reply, false);
  return unexpected('an integer', reply);
};

/** The new value of a counter write (INCR, DECRBY, HINCRBY): beyond 2^53 the error says it was applied. */
export const asCounter: Decoder<number> = (reply) => {
  if (typeof reply === 'number' && Number.isInteger(reply)) return reply;
  if (typeof reply === 'bigint') throw new RedisUnsafeIntegerError(reply, true);
  return unexpected('an integer', reply);
};

/** An integer reply or nil (ZRANK on a missing member). */
export const asNullableInteger: Decoder<number | null> = (reply) =>
  reply === null ? null : asInteger(reply);

/** An integer 1/0 reply read as a boolean. */
export const asBoolean: Decoder<boolean> = (reply) => asInteger(reply) === 1;

/** A simple `OK` reply. */
export const asOk: Decoder<true> = (reply) => {
  if (reply === 'OK') return true;
  return unexpected("'OK'", reply);
};

/** A reply to SET: `OK` when set, nil when NX/XX prevented it. */
export const asSetResult: Decoder<boolean> = (reply) => {
  if (reply === 'OK') return true;
  if (reply === null) return false;
  return unexpected("'OK' or nil", reply);
};

/** An array of bulk strings. */
export const asStringArray: Decoder<string[]> = (reply) => {
  if (!Array.isArray(reply)) return unexpected('an array', reply);
  for (const item of reply) if (typeof item !== 'string') unexpected('an array of strings', reply);
  return reply as string[];
};

/** An array of bulk strings or nils (MGET, HMGET). */
export const asNullableStringArray: Decoder<(string | null)[]> = (reply) => {
  if (!Array.isArray(reply)) return unexpected('an array', reply);
  for (const item of reply)
    if (item !== null && typeof item !== 'string') unexpected('an array of strings or nils', reply);
  return reply as (string | null)[];
};

/** A score as Redis prints it (`"1.5"`, `"inf"`, `"-inf"`). */
export function parseScore(text: string): number {
  if (text === 'inf' || text === '+inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value)) throw new RedisSerializationError(`unexpected reply: '${text}' is not a score`);
  return value;
}

/**
 * A double inside `whole` (a score, a distance, a coordinate): Redis sends it as text (`"1.5"`,
 * `"inf"`). A number is taken as it is: a driver over a user-built RESP3 client may be unable to
 * tell an integral double from an integer.
 */
export function doubleOf(reply: RedisReply | undefined, whole: RedisReply): number {
  if (typeof reply === 'string') return parseScore(reply);
  if (typeof reply === 'number') return reply;
  return unexpected('a number', whole);
}

/** A score reply (bulk string) or nil. */
export const asNullableScore: Decoder<number | null> = (reply) =>
  reply === null ? null : doubleOf(reply, reply);

/** A score reply that is never nil (ZINCRBY), or any number Redis sends as text (INCRBYFLOAT). */
export const asScore: Decoder<number> = (reply) => doubleOf(reply, reply);

/** Scores or nils, one per member asked for (ZMSCORE). */
export const asNullableScores: Decoder<(number | null)[]> = (reply) => {
  if (!Array.isArray(reply)) return unexpected('an array', reply);
  return reply.map(asNullableScore);
};

/** Integer 1/0 replies, one per item asked for, as booleans (SMISMEMBER). */
export const asBooleans: Decoder<boolean[]> = (reply) => {
  if (!Array.isArray(reply)) return unexpected('an array', reply);
  return reply.map(asBoolean);
};

/** An array of integers (LPOS ... COUNT). */
export const asIntegers: Decoder<number[]> = (reply) => {
  if (!Array.isArray(reply)) return unexpected('an array', reply);
  return reply.map(asInteger);
};

/** A single bit (SETBIT, GETBIT). */
export const asBit: Decoder<0 | 1> = (reply) => {
  if (reply === 0 || reply === 1) return reply;
  return unexpected('0 or 1', reply);
};

/** A string that is never nil (TYPE, GETRANGE). */
export const asString: Decoder<string> = (reply) => {
  if (typeof reply === 'string') return reply;
  return unexpected('a string', reply);
};

/** A flat field/value array (HGETALL) as a record. */
export const asRecord: Decoder<Record<string, string>> = (reply) => {
  const flat = asStringArray(reply);
  if (flat.length % 2 !== 0) unexpected('an even number of fields and values', reply);
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  return record;
};

/** A field of a hash with its value. */
export interface HashField {
  readonly field: string;
  readonly value: string;
}

/** A flat field/value array (HRANDFIELD ... WITHVALUES, HSCAN) as pairs, in the server's order. */
export const asHashFields: Decoder<HashField[]> = (reply) => {
  const flat = asStringArray(reply);
  if (flat.length % 2 !== 0) unexpected('field/value pairs', reply);
  const fields: HashField[] = [];
  for (let i = 0; i < flat.length; i += 2) fields.push({ field: flat[i]!, value: flat[i + 1]! });
  return fields;
};

/** A member with its score. */
export interface ScoredMember {
  readonly member: string;
  readonly score: number;
}

/** A flat member/score array (WITHSCORES) as pairs. */
export const asScoredMembers: Decoder<ScoredMember[]> = (reply) => {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) return unexpected('member/score pairs', reply);
  const pairs: ScoredMember[] = [];
  for (let i = 0; i < reply.length; i += 2) {
    const member = reply[i];
    if (typeof member !== 'string') return unexpected('member/score pairs', reply);
    pairs.push({ member, score: doubleOf(reply[i + 1], reply) });
  }
  return pairs;
};

/** One `[member, score]` pair, or `null` for the empty reply (ZPOPMIN without a count on an empty set). */
export const asNullableScoredMember: Decoder<ScoredMember | null> = (reply) => {
  const pairs = asScoredMembers(reply);
  if (pairs.length > 1) unexpected('at most one member/score pair', reply);
  return pairs[0] ?? null;
};
