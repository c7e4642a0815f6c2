import { ListCommands } from './lists.js';
import { asBoolean, asInteger, asStringArray } from './replies.js';
import { type RedisValue, requireNonEmpty, requireValue } from './validate.js';

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
}
