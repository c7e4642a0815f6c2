import {
  describe,
  type RedisValue,
  requireKey,
  requirePositiveInteger,
  requireValue,
} from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';
import { requireEntryId } from './stream-ids.js';

/**
 * How to trim a stream (XADD's trimming clause, XTRIM): keep at most `maxLen` entries, or drop
 * entries with ids below `minId`. Exact by default; `approximate: true` (`~`) lets Redis trim
 * whole macro nodes only, which is much cheaper, and then `limit` caps how many entries one call
 * evicts (`0`: no cap).
 */
export type StreamTrim =
  | {
      readonly maxLen: number;
      readonly minId?: undefined;
      readonly approximate?: boolean;
      readonly limit?: number;
    }
  | {
      readonly minId: string;
      readonly maxLen?: undefined;
      readonly approximate?: boolean;
      readonly limit?: number;
    };

/** The fields of a new entry: field name -> value (strings, finite numbers, or bytes with `binary`). */
export type StreamFields = Readonly<Record<string, RedisValue>>;

/** Rejects anything but a safe integer >= 0. */
export function requireNonNegativeInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RedisValidationError(`${what} must be an integer >= 0, got ${describe(value)}`);
  }
  return value;
}

/** `MAXLEN|MINID [~] threshold [LIMIT n]`. */
export function trimArgs(trim: StreamTrim): RedisArg[] {
  if (typeof trim !== 'object' || trim === null) {
    throw new RedisValidationError(`trim must be { maxLen } or { minId }, got ${describe(trim)}`);
  }
  const byLength = trim.maxLen !== undefined;
  if (byLength === (trim.minId !== undefined)) {
    throw new RedisValidationError('trim needs exactly one of maxLen and minId');
  }
  const args: RedisArg[] = byLength
    ? ['MAXLEN', requireNonNegativeInteger(trim.maxLen, 'trim.maxLen')]
    : ['MINID', requireEntryId(trim.minId, 'trim.minId')];
  if (trim.approximate === true) args.splice(1, 0, '~');
  if (trim.limit !== undefined) {
    if (trim.approximate !== true) {
      throw new RedisValidationError('trim.limit needs approximate: true (Redis allows LIMIT only with ~)');
    }
    args.push('LIMIT', requireNonNegativeInteger(trim.limit, 'trim.limit'));
  }
  return args;
}

/** The field/value pairs of a new entry, flat, each checked: at least one, names non-empty. */
export function fieldArgs(fields: StreamFields): RedisArg[] {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new RedisValidationError(
      `fields must be a record of field names to values, got ${describe(fields)}`,
    );
  }
  const entries = Object.entries(fields);
  if (entries.length === 0) throw new RedisValidationError('a stream entry needs at least one field');
  const args: RedisArg[] = [];
  for (const [field, value] of entries) {
    args.push(requireKey(field, 'field'), requireValue(value, `value of field '${field}'`));
  }
  return args;
}

/** `COUNT n`, or nothing when `count` is not given. */
export function countArgs(count: unknown): RedisArg[] {
  return count === undefined ? [] : ['COUNT', requirePositiveInteger(count, 'count')];
}
