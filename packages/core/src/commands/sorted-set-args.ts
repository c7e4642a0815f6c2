import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';
import {
  describe,
  requireChoice,
  requireFinite,
  requireInteger,
  requireNonEmpty,
  requirePositiveInteger,
  requireWellFormed,
} from './validate.js';

/** A score bound: a number (±Infinity allowed), or `{ value, exclusive: true }` for an open bound. */
export type ScoreBound = number | { readonly value: number; readonly exclusive: boolean };

/**
 * A lexicographical bound for members of equal score: `'-'` and `'+'` are the lowest and highest
 * possible, any other string is an inclusive bound, `{ value, exclusive: true }` an open one (a
 * member literally named `-` or `+` is `{ value: '-' }`).
 */
export type LexBound = string | { readonly value: string; readonly exclusive?: boolean };

/** How `zunion`/`zinter` combine the scores of a member found in several sets. */
export type ZAggregate = 'sum' | 'min' | 'max';

/** Options of `zunion`, `zinter` and their `Store` forms. */
export interface ZcombineOptions {
  /** A factor per key (one for each, in order) multiplied into its scores. Default 1 each. */
  readonly weights?: readonly number[];
  /** How the scores of a member found in several sets combine. Default `sum`. */
  readonly aggregate?: ZAggregate;
}

/** The ZRANGE ... BYSCORE text of a score bound (`(2`, `+inf`). */
export function boundArg(bound: ScoreBound, what: string): string {
  const value = typeof bound === 'number' ? bound : bound?.value;
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new RedisValidationError(`${what} must be a number, got ${describe(value)}`);
  const text =
    value === Number.POSITIVE_INFINITY ? '+inf' : value === Number.NEGATIVE_INFINITY ? '-inf' : String(value);
  return typeof bound === 'object' && bound.exclusive ? `(${text}` : text;
}

/** Rejects a member that is not a string (the empty string is a valid member). */
export function requireMember(member: unknown, what = 'member'): string {
  if (typeof member !== 'string')
    throw new RedisValidationError(`${what} must be a string, got ${describe(member)}`);
  return requireWellFormed(member, what);
}

/** The ZRANGE ... BYLEX text of a lexicographical bound. */
export function lexBoundArg(bound: LexBound, what: string): string {
  if (typeof bound === 'string') return bound === '-' || bound === '+' ? bound : `[${bound}`;
  if (typeof bound !== 'object' || bound === null || typeof bound.value !== 'string') {
    throw new RedisValidationError(
      `${what} must be a string or { value, exclusive }, got ${describe(bound)}`,
    );
  }
  return `${bound.exclusive ? '(' : '['}${bound.value}`;
}

const AGGREGATES: readonly ZAggregate[] = ['sum', 'min', 'max'];

/** The WEIGHTS / AGGREGATE arguments of ZUNION-like commands over `keyCount` keys. */
export function combineArgs(keyCount: number, options: ZcombineOptions | undefined): RedisArg[] {
  const args: RedisArg[] = [];
  if (options?.weights !== undefined) {
    const weights = requireNonEmpty(options.weights, 'weights');
    if (weights.length !== keyCount) {
      throw new RedisValidationError(
        `weights needs one weight per key: ${keyCount} keys, ${weights.length} weights`,
      );
    }
    args.push('WEIGHTS', ...weights.map((weight, i) => requireFinite(weight, `weight #${i + 1}`)));
  }
  if (options?.aggregate !== undefined) {
    args.push('AGGREGATE', requireChoice(options.aggregate, AGGREGATES, 'aggregate').toUpperCase());
  }
  return args;
}

/** Skip `offset` matches and return at most `count` (ZRANGE ... LIMIT). */
export interface RangeLimit {
  readonly offset: number;
  readonly count: number;
}

/** The LIMIT arguments of a range by score or by lex. */
export function limitArgs(limit: RangeLimit | undefined): RedisArg[] {
  if (!limit) return [];
  const offset = requireInteger(limit.offset, 'limit.offset');
  if (offset < 0) throw new RedisValidationError('limit.offset must be >= 0');
  return ['LIMIT', offset, requirePositiveInteger(limit.count, 'limit.count')];
}
