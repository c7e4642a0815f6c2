import { ListCommands } from './lists.js';
import { asBoolean, asBooleans, asInteger, asNullableString, asStringArray } from './replies.js';
import {
  type RedisValue,
  requireInteger,
  requireNonEmpty,
  requirePositiveInteger,
  requireValue,
} from './validate.js';

/** Commands on sets. */
export class SetCommands extends ListCommands {
  /** Adds members. Resolves with how many were new. */
  sadd(key: string, ...members: RedisValue[]): Promise<number> {
    return this.call(
      () => [
        'SADD',
        this.key(key),
        ...requireNonEmpty(members, 'sadd').map((member) => requireValue(member, 'member')),
      ],
      asInteger,
    );
  }

  /** Removes members. Resolves with how many were there. */
  srem(key: string, ...members: RedisValue[]): Promise<number> {
    return this.call(
      () => [
        'SREM',
        this.key(key),
        ...requireNonEmpty(members, 'srem').map((member) => requireValue(member, 'member')),
      ],
      asInteger,
    );
  }

  /** Every member, in no particular order. */
  smembers(key: string): Promise<string[]> {
    return this.call(() => ['SMEMBERS', this.key(key)], asStringArray);
  }

  /** Whether `member` is in the set. */
  sismember(key: string, member: RedisValue): Promise<boolean> {
    return this.call(() => ['SISMEMBER', this.key(key), requireValue(member, 'member')], asBoolean);
  }

  /** How many members the set has. */
  scard(key: string): Promise<number> {
    return this.call(() => ['SCARD', this.key(key)], asInteger);
  }

  /** The members in every one of the sets (a missing key is an empty set). */
  sinter(...keys: string[]): Promise<string[]> {
    return this.call(() => ['SINTER', ...this.keys(requireNonEmpty(keys, 'sinter'))], asStringArray);
  }

  /** The members in any of the sets. */
  sunion(...keys: string[]): Promise<string[]> {
    return this.call(() => ['SUNION', ...this.keys(requireNonEmpty(keys, 'sunion'))], asStringArray);
  }

  /** The members of the first set that are in none of the others. */
  sdiff(...keys: string[]): Promise<string[]> {
    return this.call(() => ['SDIFF', ...this.keys(requireNonEmpty(keys, 'sdiff'))], asStringArray);
  }

  /** Stores `sinter(...keys)` at `destination` (replacing it). Resolves with its size. */
  sinterStore(destination: string, ...keys: string[]): Promise<number> {
    return this.call(() => this.#storeArgs('SINTERSTORE', destination, keys), asInteger);
  }

  /** Stores `sunion(...keys)` at `destination` (replacing it). Resolves with its size. */
  sunionStore(destination: string, ...keys: string[]): Promise<number> {
    return this.call(() => this.#storeArgs('SUNIONSTORE', destination, keys), asInteger);
  }

  /** Stores `sdiff(...keys)` at `destination` (replacing it). Resolves with its size. */
  sdiffStore(destination: string, ...keys: string[]): Promise<number> {
    return this.call(() => this.#storeArgs('SDIFFSTORE', destination, keys), asInteger);
  }

  /** Whether each member is in the set, in the order asked. */
  smismember(key: string, ...members: RedisValue[]): Promise<boolean[]> {
    return this.call(
      () => [
        'SMISMEMBER',
        this.key(key),
        ...requireNonEmpty(members, 'smismember').map((member) => requireValue(member, 'member')),
      ],
      asBooleans,
    );
  }

  /** Removes and returns a random member, or `null` when the set is empty. */
  spop(key: string): Promise<string | null>;
  /** Removes and returns up to `count` random members. */
  spop(key: string, count: number): Promise<string[]>;
  spop(key: string, count?: number): Promise<string | null | string[]> {
    if (count === undefined) return this.call(() => ['SPOP', this.key(key)], asNullableString);
    return this.call(() => ['SPOP', this.key(key), requirePositiveInteger(count, 'count')], asStringArray);
  }

  /** A random member (not removed), or `null` when the set is empty. */
  srandmember(key: string): Promise<string | null>;
  /**
   * Up to `count` distinct random members; with a negative `count`, exactly `-count` members that
   * may repeat.
   */
  srandmember(key: string, count: number): Promise<string[]>;
  srandmember(key: string, count?: number): Promise<string | null | string[]> {
    if (count === undefined) return this.call(() => ['SRANDMEMBER', this.key(key)], asNullableString);
    return this.call(() => ['SRANDMEMBER', this.key(key), requireInteger(count, 'count')], asStringArray);
  }

  /** Moves `member` from `source` to `destination` atomically. Resolves `false` when it was not in `source`. */
  smove(source: string, destination: string, member: RedisValue): Promise<boolean> {
    return this.call(
      () => ['SMOVE', this.key(source), this.key(destination), requireValue(member, 'member')],
      asBoolean,
    );
  }

  #storeArgs(name: string, destination: string, keys: readonly string[]): string[] {
    return [name, this.key(destination), ...this.keys(requireNonEmpty(keys, name.toLowerCase()))];
  }
}
