import type { RedisReply } from '../port/reply.js';
import { HashCommands } from './hashes.js';
import { asInteger, asNullableString, asOk, asStringArray } from './replies.js';
import {
  type RedisValue,
  requireInteger,
  requireNonEmpty,
  requirePositiveInteger,
  requireValue,
} from './validate.js';

const asPopped = (reply: RedisReply): string[] | null => (reply === null ? null : asStringArray(reply));

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
}
