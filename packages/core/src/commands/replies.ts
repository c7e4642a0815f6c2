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

/** A score reply (bulk string) or nil. */
export const asNullableScore: Decoder<number | null> = (reply) => {
  if (reply === null) return null;
  if (typeof reply === 'string') return parseScore(reply);
  return unexpected('a score', reply);
};

/** A score reply that is never nil (ZINCRBY). */
export const asScore: Decoder<number> = (reply) => {
  if (typeof reply === 'string') return parseScore(reply);
  return unexpected('a score', reply);
};

/** A flat field/value array (HGETALL) as a record. */
export const asRecord: Decoder<Record<string, string>> = (reply) => {
  const flat = asStringArray(reply);
  if (flat.length % 2 !== 0) unexpected('an even number of fields and values', reply);
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  return record;
};

/** A member with its score. */
export interface ScoredMember {
  readonly member: string;
  readonly score: number;
}

/** A flat member/score array (WITHSCORES) as pairs. */
export const asScoredMembers: Decoder<ScoredMember[]> = (reply) => {
  const flat = asStringArray(reply);
  if (flat.length % 2 !== 0) unexpected('member/score pairs', reply);
  const pairs: ScoredMember[] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push({ member: flat[i]!, score: parseScore(flat[i + 1]!) });
  return pairs;
};
