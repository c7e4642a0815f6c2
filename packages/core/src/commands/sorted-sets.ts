import type { RedisArg, RedisReply } from '../port/reply.js';
import {
  asInteger,
  asNullableInteger,
  asNullableScore,
  asNullableScoredMember,
  asNullableScores,
  asScore,
  asScoredMembers,
  asStringArray,
  type ScoredMember,
} from './replies.js';
import { SetCommands } from './sets.js';
import {
  boundArg,
  combineArgs,
  type LexBound,
  lexBoundArg,
  limitArgs,
  type RangeLimit,
  requireMember,
  type ScoreBound,
  type ZcombineOptions,
} from './sorted-set-args.js';
import {
  exclusive,
  requireFinite,
  requireInteger,
  requireNonEmpty,
  requirePositiveInteger,
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

/** Options of `zrange`. */
export interface ZrangeOptions {
  /** Highest score first. */
  readonly rev?: boolean;
}

/** Options of `zrangeByScore` and `zrangeByLex`. */
export interface ZrangeByScoreOptions extends ZrangeOptions {
  /** Skip `offset` matches and return at most `count`. */
  readonly limit?: RangeLimit;
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
        args.push(...limitArgs(options?.limit));
        if (withScores) args.push('WITHSCORES');
        return args;
      },
      (reply: RedisReply) => (withScores ? asScoredMembers(reply) : asStringArray(reply)),
    );
  }

  /** How many members have a score between `min` and `max` (inclusive unless a bound says `exclusive`). */
  zcount(key: string, min: ScoreBound, max: ScoreBound): Promise<number> {
    return this.call(() => ['ZCOUNT', this.key(key), boundArg(min, 'min'), boundArg(max, 'max')], asInteger);
  }

  /** A member's rank counted from the highest score (0 = highest), or `null` when it is not in the set. */
  zrevrank(key: string, member: string): Promise<number | null> {
    return this.call(() => ['ZREVRANK', this.key(key), requireMember(member)], asNullableInteger);
  }

  /** Removes and returns the member with the lowest score, or `null` when the set is empty. */
  zpopmin(key: string): Promise<ScoredMember | null>;
  /** Removes and returns up to `count` members with the lowest scores, lowest first. */
  zpopmin(key: string, count: number): Promise<ScoredMember[]>;
  zpopmin(key: string, count?: number): Promise<ScoredMember | null | ScoredMember[]> {
    return this.#pop('ZPOPMIN', key, count);
  }

  /** Removes and returns the member with the highest score, or `null` when the set is empty. */
  zpopmax(key: string): Promise<ScoredMember | null>;
  /** Removes and returns up to `count` members with the highest scores, highest first. */
  zpopmax(key: string, count: number): Promise<ScoredMember[]>;
  zpopmax(key: string, count?: number): Promise<ScoredMember | null | ScoredMember[]> {
    return this.#pop('ZPOPMAX', key, count);
  }

  /** Removes the members with a score between `min` and `max`. Resolves with how many went. */
  zremRangeByScore(key: string, min: ScoreBound, max: ScoreBound): Promise<number> {
    return this.call(
      () => ['ZREMRANGEBYSCORE', this.key(key), boundArg(min, 'min'), boundArg(max, 'max')],
      asInteger,
    );
  }

  /** Removes the members ranked `start` to `stop`, inclusive (negative counts from the highest). */
  zremRangeByRank(key: string, start: number, stop: number): Promise<number> {
    return this.call(
      () => ['ZREMRANGEBYRANK', this.key(key), requireInteger(start, 'start'), requireInteger(stop, 'stop')],
      asInteger,
    );
  }

  /** The score of each member, in the order asked; `null` for one that is not in the set. */
  zmscore(key: string, ...members: string[]): Promise<(number | null)[]> {
    return this.call(
      () => [
        'ZMSCORE',
        this.key(key),
        ...requireNonEmpty(members, 'zmscore').map((member) => requireMember(member)),
      ],
      asNullableScores,
    );
  }

  /**
   * Members between `min` and `max` in lexicographical order, for a set whose members all have
   * the same score (`'-'` and `'+'` are the open ends; see `LexBound`).
   */
  zrangeByLex(key: string, min: LexBound, max: LexBound, options?: ZrangeByScoreOptions): Promise<string[]> {
    return this.call(() => {
      const low = lexBoundArg(min, 'min');
      const high = lexBoundArg(max, 'max');
      // ZRANGE ... BYLEX REV takes the bounds high first, like BYSCORE.
      const args: RedisArg[] = [
        'ZRANGE',
        this.key(key),
        ...(options?.rev ? [high, low] : [low, high]),
        'BYLEX',
      ];
      if (options?.rev) args.push('REV');
      args.push(...limitArgs(options?.limit));
      return args;
    }, asStringArray);
  }

  /** The members of any of the sets, scores combined (see `ZcombineOptions`), lowest score first. */
  zunion(
    keys: readonly string[],
    options?: ZcombineOptions & { readonly withScores?: false },
  ): Promise<string[]>;
  /** The members of any of the sets with their combined scores. */
  zunion(
    keys: readonly string[],
    options: ZcombineOptions & { readonly withScores: true },
  ): Promise<ScoredMember[]>;
  zunion(
    keys: readonly string[],
    options?: ZcombineOptions & { readonly withScores?: boolean },
  ): Promise<string[] | ScoredMember[]> {
    return this.#combine('ZUNION', keys, options);
  }

  /** The members in every one of the sets, scores combined (see `ZcombineOptions`), lowest score first. */
  zinter(
    keys: readonly string[],
    options?: ZcombineOptions & { readonly withScores?: false },
  ): Promise<string[]>;
  /** The members in every one of the sets with their combined scores. */
  zinter(
    keys: readonly string[],
    options: ZcombineOptions & { readonly withScores: true },
  ): Promise<ScoredMember[]>;
  zinter(
    keys: readonly string[],
    options?: ZcombineOptions & { readonly withScores?: boolean },
  ): Promise<string[] | ScoredMember[]> {
    return this.#combine('ZINTER', keys, options);
  }

  /** Stores `zunion(keys, options)` at `destination` (replacing it). Resolves with its size. */
  zunionStore(destination: string, keys: readonly string[], options?: ZcombineOptions): Promise<number> {
    return this.call(() => this.#storeArgs('ZUNIONSTORE', destination, keys, options), asInteger);
  }

  /** Stores `zinter(keys, options)` at `destination` (replacing it). Resolves with its size. */
  zinterStore(destination: string, keys: readonly string[], options?: ZcombineOptions): Promise<number> {
    return this.call(() => this.#storeArgs('ZINTERSTORE', destination, keys, options), asInteger);
  }

  #pop(name: string, key: string, count: number | undefined): Promise<ScoredMember | null | ScoredMember[]> {
    if (count === undefined) return this.call(() => [name, this.key(key)], asNullableScoredMember);
    return this.call(() => [name, this.key(key), requirePositiveInteger(count, 'count')], asScoredMembers);
  }

  #combine(
    name: string,
    keys: readonly string[],
    options: (ZcombineOptions & { readonly withScores?: boolean }) | undefined,
  ): Promise<string[] | ScoredMember[]> {
    const withScores = options?.withScores === true;
    return this.call(
      () => {
        const prefixed = this.keys(requireNonEmpty(keys, name.toLowerCase()));
        return [
          name,
          prefixed.length,
          ...prefixed,
          ...combineArgs(prefixed.length, options),
          ...(withScores ? ['WITHSCORES'] : []),
        ];
      },
      (reply: RedisReply) => (withScores ? asScoredMembers(reply) : asStringArray(reply)),
    );
  }

  #storeArgs(
    name: string,
    destination: string,
    keys: readonly string[],
    options?: ZcombineOptions,
  ): RedisArg[] {
    const prefixed = this.keys(requireNonEmpty(keys, name.toLowerCase()));
    return [
      name,
      this.key(destination),
      prefixed.length,
      ...prefixed,
      ...combineArgs(prefixed.length, options),
    ];
  }
}
