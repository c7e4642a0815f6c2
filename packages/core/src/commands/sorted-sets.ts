import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import {
  asInteger,
  asNullableInteger,
  asNullableScore,
  asScore,
  asScoredMembers,
  asStringArray,
  type ScoredMember,
} from './replies.js';
import { SetCommands } from './sets.js';
import {
  describe,
  exclusive,
  requireFinite,
  requireInteger,
  requireNonEmpty,
  requirePositiveInteger,
  requireWellFormed,
} from './validate.js';

/** Options of `zadd`. */
export interface ZaddOptions {
  /** Only add new members. */
  readonly nx?: boolean;
  /** Only update existing members. */
  readonly xx?: boolean;
  /** Only update when the new score is greater. */
  readonly gt?: boolean;
  /** Only update when the new score is less. */
  readonly lt?: boolean;
  /** Count changed members, not only added ones. */
  readonly ch?: boolean;
}

/** A score bound: a number (±Infinity allowed), or `{ value, exclusive: true }` for an open bound. */
export type ScoreBound = number | { readonly value: number; readonly exclusive: boolean };

/** Options of `zrange`. */
export interface ZrangeOptions {
  /** Highest score first. */
  readonly rev?: boolean;
}

/** Options of `zrangeByScore`. */
export interface ZrangeByScoreOptions extends ZrangeOptions {
  /** Skip `offset` matches and return at most `count`. */
  readonly limit?: { readonly offset: number; readonly count: number };
}

function boundArg(bound: ScoreBound, what: string): string {
  const value = typeof bound === 'number' ? bound : bound?.value;
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new RedisValidationError(`${what} must be a number, got ${describe(value)}`);
  const text =
    value === Number.POSITIVE_INFINITY ? '+inf' : value === Number.NEGATIVE_INFINITY ? '-inf' : String(value);
  return typeof bound === 'object' && bound.exclusive ? `(${text}` : text;
}

/** Rejects a member that is not a string (the empty string is a valid member). */
function requireMember(member: unknown, what = 'member'): string {
  if (typeof member !== 'string')
    throw new RedisValidationError(`${what} must be a string, got ${describe(member)}`);
  return requireWellFormed(member, what);
}

function memberPairs(members: Readonly<Record<string, number>> | readonly ScoredMember[]): RedisArg[] {
  const pairs: ScoredMember[] = Array.isArray(members)
    ? [...(members as readonly ScoredMember[])]
    : Object.entries(members as Record<string, number>).map(([member, score]) => ({ member, score }));
  const args: RedisArg[] = [];
  for (const { member, score } of requireNonEmpty(pairs, 'zadd')) {
    args.push(requireFinite(score, `score of '${requireMember(member, 'zadd member')}'`), member);
  }
  return args;
}

/** Commands on sorted sets. */
export class SortedSetCommands extends SetCommands {
  /**
   * Adds or updates members with their scores. Resolves with how many were added (or changed,
   * with `ch`). NaN and infinite scores are refused before anything is sent.
   */
  zadd(
    key: string,
    members: Readonly<Record<string, number>> | readonly ScoredMember[],
    options?: ZaddOptions,
  ): Promise<number> {
    return this.call(() => {
      exclusive(options, ['nx', 'xx']);
      exclusive(options, ['nx', 'gt']);
      exclusive(options, ['nx', 'lt']);
      exclusive(options, ['gt', 'lt']);
      const flags: string[] = [];
      if (options?.nx) flags.push('NX');
      if (options?.xx) flags.push('XX');
      if (options?.gt) flags.push('GT');
      if (options?.lt) flags.push('LT');
      if (options?.ch) flags.push('CH');
      return ['ZADD', this.key(key), ...flags, ...memberPairs(members)];
    }, asInteger);
  }

  /** Removes members. Resolves with how many were there. */
  zrem(key: string, ...members: string[]): Promise<number> {
    return this.call(
      () => [
        'ZREM',
        this.key(key),
        ...requireNonEmpty(members, 'zrem').map((member) => requireMember(member)),
      ],
      asInteger,
    );
  }

  /** A member's score, or `null` when it is not in the set. */
  zscore(key: string, member: string): Promise<number | null> {
    return this.call(() => ['ZSCORE', this.key(key), requireMember(member)], asNullableScore);
  }

  /**
   * Adds `by` to a member's score (a missing member starts at 0). Resolves with the new score.
   * Scores are doubles in Redis too: the reply is the server's own double, never rounded further.
   */
  zincrBy(key: string, by: number, member: string): Promise<number> {
    return this.call(
      () => ['ZINCRBY', this.key(key), requireFinite(by, 'increment'), requireMember(member)],
      asScore,
    );
  }

  /** A member's rank (0 = lowest score), or `null` when it is not in the set. */
  zrank(key: string, member: string): Promise<number | null> {
    return this.call(() => ['ZRANK', this.key(key), requireMember(member)], asNullableInteger);
  }

  /** How many members the set has. */
  zcard(key: string): Promise<number> {
    return this.call(() => ['ZCARD', this.key(key)], asInteger);
  }

  /** Members by rank from `start` to `stop`, inclusive (negative counts from the end). */
  zrange(
    key: string,
    start: number,
    stop: number,
    options?: ZrangeOptions & { readonly withScores?: false },
  ): Promise<string[]>;
  /** Members with their scores by rank from `start` to `stop`, inclusive. */
  zrange(
    key: string,
    start: number,
    stop: number,
    options: ZrangeOptions & { readonly withScores: true },
  ): Promise<ScoredMember[]>;
  zrange(
    key: string,
    start: number,
    stop: number,
    options?: ZrangeOptions & { readonly withScores?: boolean },
  ): Promise<string[] | ScoredMember[]> {
    const withScores = options?.withScores === true;
    return this.call(
      () => [
        'ZRANGE',
        this.key(key),
        requireInteger(start, 'start'),
        requireInteger(stop, 'stop'),
        ...(options?.rev ? ['REV'] : []),
        ...(withScores ? ['WITHSCORES'] : []),
      ],
      (reply: RedisReply) => (withScores ? asScoredMembers(reply) : asStringArray(reply)),
    );
  }

  /** Members with scores between `min` and `max` (inclusive unless a bound says `exclusive`). */
  zrangeByScore(
    key: string,
    min: ScoreBound,
    max: ScoreBound,
    options?: ZrangeByScoreOptions & { readonly withScores?: false },
  ): Promise<string[]>;
  /** Members with their scores, between `min` and `max`. */
  zrangeByScore(
    key: string,
    min: ScoreBound,
    max: ScoreBound,
    options: ZrangeByScoreOptions & { readonly withScores: true },
  ): Promise<ScoredMember[]>;
  zrangeByScore(
    key: string,
    min: ScoreBound,
    max: ScoreBound,
    options?: ZrangeByScoreOptions & { readonly withScores?: boolean },
  ): Promise<string[] | ScoredMember[]> {
    const withScores = options?.withScores === true;
    return this.call(
      () => {
        const low = boundArg(min, 'min');
        const high = boundArg(max, 'max');
        // ZRANGE ... BYSCORE REV takes the bounds high first.
        const args: RedisArg[] = [
          'ZRANGE',
          this.key(key),
          ...(options?.rev ? [high, low] : [low, high]),
          'BYSCORE',
        ];
        if (options?.rev) args.push('REV');
        if (options?.limit) {
          const offset = requireInteger(options.limit.offset, 'limit.offset');
          if (offset < 0) throw new RedisValidationError('limit.offset must be >= 0');
          args.push('LIMIT', offset, requirePositiveInteger(options.limit.count, 'limit.count'));
        }
        if (withScores) args.push('WITHSCORES');
        return args;
      },
      (reply: RedisReply) => (withScores ? asScoredMembers(reply) : asStringArray(reply)),
    );
  }
}
