import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import { HashCommands } from './hashes.js';
import {
  asInteger,
  asIntegers,
  asNullableInteger,
  asNullableString,
  asOk,
  asStringArray,
} from './replies.js';
import {
  type RedisValue,
  requireChoice,
  requireInteger,
  requireNonEmpty,
  requireNonNegativeInteger,
  requirePositiveInteger,
  requireValue,
} from './validate.js';

const asPopped = (reply: RedisReply): string[] | null => (reply === null ? null : asStringArray(reply));

/** An end of a list, spelled as Redis (and ioredis, node-redis) spell it: `LEFT` is the head (index 0), `RIGHT` the tail. */
export type ListEnd = 'LEFT' | 'RIGHT';

/** Every `ListEnd`, for validation. */
export const LIST_ENDS: readonly ListEnd[] = ['LEFT', 'RIGHT'];

/** Options of `lpos`. */
export interface LposOptions {
  /**
   * Which match to start from: 1 the first (default), 2 the second, ...; negative counts from the
   * tail (-1 the last match).
   */
  readonly rank?: number;
  /** Compare at most this many elements (0, the default: all). */
  readonly maxlen?: number;
}

function lposArgs(options: (LposOptions & { readonly count?: number }) | undefined): RedisArg[] {
  const args: RedisArg[] = [];
  if (options?.rank !== undefined) {
    const rank = requireInteger(options.rank, 'rank');
    if (rank === 0) throw new RedisValidationError('rank must not be 0 (1 is the first match, -1 the last)');
    args.push('RANK', rank);
  }
  if (options?.count !== undefined) args.push('COUNT', requireNonNegativeInteger(options.count, 'count'));
  if (options?.maxlen !== undefined) args.push('MAXLEN', requireNonNegativeInteger(options.maxlen, 'maxlen'));
  return args;
}

function endArg(end: ListEnd, what: string): string {
  return requireChoice(end, LIST_ENDS, what);
}

/** Commands on lists. */
export class ListCommands extends HashCommands {
  /** Prepends values (the last one ends up first). Resolves with the list's new length. */
  lpush(key: string, ...values: RedisValue[]): Promise<number> {
    return this.call(
      () => ['LPUSH', this.key(key), ...requireNonEmpty(values, 'lpush').map((value) => requireValue(value))],
      asInteger,
    );
  }

  /** Appends values. Resolves with the list's new length. */
  rpush(key: string, ...values: RedisValue[]): Promise<number> {
    return this.call(
      () => ['RPUSH', this.key(key), ...requireNonEmpty(values, 'rpush').map((value) => requireValue(value))],
      asInteger,
    );
  }

  /** Removes and returns the first element, or `null` when the list is empty. */
  lpop(key: string): Promise<string | null>;
  /** Removes and returns up to `count` first elements, or `null` when the list is empty. */
  lpop(key: string, count: number): Promise<string[] | null>;
  lpop(key: string, count?: number): Promise<string | null | string[]> {
    if (count === undefined) return this.call(() => ['LPOP', this.key(key)], asNullableString);
    return this.call(() => ['LPOP', this.key(key), requirePositiveInteger(count, 'count')], asPopped);
  }

  /** Removes and returns the last element, or `null` when the list is empty. */
  rpop(key: string): Promise<string | null>;
  /** Removes and returns up to `count` last elements, or `null` when the list is empty. */
  rpop(key: string, count: number): Promise<string[] | null>;
  rpop(key: string, count?: number): Promise<string | null | string[]> {
    if (count === undefined) return this.call(() => ['RPOP', this.key(key)], asNullableString);
    return this.call(() => ['RPOP', this.key(key), requirePositiveInteger(count, 'count')], asPopped);
  }

  /** Elements from `start` to `stop`, inclusive; negative indexes count from the end (`-1` is the last). */
  lrange(key: string, start: number, stop: number): Promise<string[]> {
    return this.call(
      () => ['LRANGE', this.key(key), requireInteger(start, 'start'), requireInteger(stop, 'stop')],
      asStringArray,
    );
  }

  /** The list's length. */
  llen(key: string): Promise<number> {
    return this.call(() => ['LLEN', this.key(key)], asInteger);
  }

  /** Keeps only the elements from `start` to `stop`, inclusive. */
  ltrim(key: string, start: number, stop: number): Promise<true> {
    return this.call(
      () => ['LTRIM', this.key(key), requireInteger(start, 'start'), requireInteger(stop, 'stop')],
      asOk,
    );
  }

  /** The element at `index` (negative counts from the end), or `null` when out of range. */
  lindex(key: string, index: number): Promise<string | null> {
    return this.call(() => ['LINDEX', this.key(key), requireInteger(index, 'index')], asNullableString);
  }

  /** Replaces the element at `index`. An index out of range (or a missing list) is a `RedisReplyError`. */
  lset(key: string, index: number, value: RedisValue): Promise<true> {
    return this.call(
      () => ['LSET', this.key(key), requireInteger(index, 'index'), requireValue(value)],
      asOk,
    );
  }

  /**
   * Removes elements equal to `value`: the first `count` from the head (`count` > 0), the last
   * `-count` from the tail (`count` < 0), or all of them (`count` 0). Resolves with how many went.
   */
  lrem(key: string, count: number, value: RedisValue): Promise<number> {
    return this.call(
      () => ['LREM', this.key(key), requireInteger(count, 'count'), requireValue(value)],
      asInteger,
    );
  }

  /**
   * Inserts `value` before or after the first element equal to `pivot`. Resolves with the list's
   * new length, `-1` when `pivot` is not in the list, `0` when the list does not exist.
   */
  linsert(key: string, where: 'BEFORE' | 'AFTER', pivot: RedisValue, value: RedisValue): Promise<number> {
    return this.call(
      () => [
        'LINSERT',
        this.key(key),
        requireChoice(where, ['BEFORE', 'AFTER'], 'where'),
        requireValue(pivot, 'pivot'),
        requireValue(value),
      ],
      asInteger,
    );
  }

  /** The index of the first element equal to `element` (see `rank`, `maxlen`), or `null` when none matches. */
  lpos(key: string, element: RedisValue, options?: LposOptions): Promise<number | null>;
  /** The indexes of up to `count` matching elements (0: all of them), in the order they were found. */
  lpos(
    key: string,
    element: RedisValue,
    options: LposOptions & { readonly count: number },
  ): Promise<number[]>;
  lpos(
    key: string,
    element: RedisValue,
    options?: LposOptions & { readonly count?: number },
  ): Promise<number | null | number[]> {
    const many = options?.count !== undefined;
    return this.call(
      () => ['LPOS', this.key(key), requireValue(element, 'element'), ...lposArgs(options)],
      (reply: RedisReply) => (many ? asIntegers(reply) : asNullableInteger(reply)),
    );
  }

  /**
   * Atomically pops an element from one end of `source` and pushes it onto one end of
   * `destination` (the same list rotates it). Resolves with the element, or `null` when `source` is empty.
   */
  lmove(source: string, destination: string, from: ListEnd, to: ListEnd): Promise<string | null> {
    return this.call(
      () => ['LMOVE', this.key(source), this.key(destination), endArg(from, 'from'), endArg(to, 'to')],
      asNullableString,
    );
  }
}
