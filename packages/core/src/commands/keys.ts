import type { RedisArg, RedisReply } from '../port/reply.js';
import { CommandBase } from './command-base.js';
import { asBoolean, asInteger, asOk, asString } from './replies.js';
import { exclusive, requireNonEmpty, requirePositiveInteger, requireTimestamp } from './validate.js';

/** When EXPIRE should apply, relative to the key's current expiry (Redis 7). */
export interface ExpireCondition {
  /** Only if the key has no expiry. */
  readonly nx?: boolean;
  /** Only if the key already has an expiry. */
  readonly xx?: boolean;
  /** Only if the new expiry is later than the current one. */
  readonly gt?: boolean;
  /** Only if the new expiry is earlier than the current one. */
  readonly lt?: boolean;
}

function conditionArgs(condition: ExpireCondition | undefined): RedisArg[] {
  exclusive(condition, ['nx', 'xx', 'gt', 'lt']);
  if (!condition) return [];
  if (condition.nx) return ['NX'];
  if (condition.xx) return ['XX'];
  if (condition.gt) return ['GT'];
  if (condition.lt) return ['LT'];
  return [];
}

/** The type of the value at a key (`TYPE`): `none` when the key is missing; modules add their own (`ReJSON-RL`). */
export type RedisKeyType = 'none' | 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | (string & {});

/**
 * When a key expires (`expiretime`, `pexpiretime`): a Unix time (seconds or milliseconds), or why
 * there is none, spelled out instead of Redis's `-1` and `-2`.
 */
export type ExpireTime = number | 'no-expiry' | 'missing';

/** Options of `copy`. */
export interface CopyOptions {
  /** Overwrite the destination when it exists (otherwise `copy` resolves `false` and changes nothing). */
  readonly replace?: boolean;
}

const asExpireTime = (reply: RedisReply): ExpireTime => {
  const value = asInteger(reply);
  return value === -1 ? 'no-expiry' : value === -2 ? 'missing' : value;
};

/** Commands on keys of any type. */
export class KeyCommands extends CommandBase {
  /** Deletes keys. Resolves with how many existed. An empty list is refused. */
  delete(...keys: string[]): Promise<number> {
    return this.call(() => ['DEL', ...this.keys(requireNonEmpty(keys, 'delete'))], asInteger);
  }

  /** Counts how many of the keys exist (a key named twice counts twice). */
  exists(...keys: string[]): Promise<number> {
    return this.call(() => ['EXISTS', ...this.keys(requireNonEmpty(keys, 'exists'))], asInteger);
  }

  /** Sets a time to live in whole seconds. Resolves `false` when the key is missing or the condition failed. */
  expire(key: string, seconds: number, condition?: ExpireCondition): Promise<boolean> {
    return this.call(
      () => [
        'EXPIRE',
        this.key(key),
        requirePositiveInteger(seconds, 'seconds'),
        ...conditionArgs(condition),
      ],
      asBoolean,
    );
  }

  /** Sets a time to live in whole milliseconds. */
  pexpire(key: string, milliseconds: number, condition?: ExpireCondition): Promise<boolean> {
    return this.call(
      () => [
        'PEXPIRE',
        this.key(key),
        requirePositiveInteger(milliseconds, 'milliseconds'),
        ...conditionArgs(condition),
      ],
      asBoolean,
    );
  }

  /** Seconds left to live: `-1` when the key has no expiry, `-2` when it does not exist. */
  ttl(key: string): Promise<number> {
    return this.call(() => ['TTL', this.key(key)], asInteger);
  }

  /** Milliseconds left to live: `-1` when the key has no expiry, `-2` when it does not exist. */
  pttl(key: string): Promise<number> {
    return this.call(() => ['PTTL', this.key(key)], asInteger);
  }

  /** Removes the expiry. Resolves `true` when there was one. */
  persist(key: string): Promise<boolean> {
    return this.call(() => ['PERSIST', this.key(key)], asBoolean);
  }

  /** Deletes keys like `delete`, reclaiming their memory in the background (UNLINK). Resolves with how many existed. */
  unlink(...keys: string[]): Promise<number> {
    return this.call(() => ['UNLINK', ...this.keys(requireNonEmpty(keys, 'unlink'))], asInteger);
  }

  /** The type of the value at `key`; `none` when it is missing. */
  type(key: string): Promise<RedisKeyType> {
    return this.call(() => ['TYPE', this.key(key)], asString);
  }

  /** Renames `key` to `newKey`, replacing what `newKey` held. A missing `key` is a `RedisReplyError` (`ERR no such key`). */
  rename(key: string, newKey: string): Promise<true> {
    return this.call(() => ['RENAME', this.key(key), this.key(newKey)], asOk);
  }

  /** Renames `key` to `newKey` only if `newKey` does not exist. Resolves `true` when renamed. */
  renamenx(key: string, newKey: string): Promise<boolean> {
    return this.call(() => ['RENAMENX', this.key(key), this.key(newKey)], asBoolean);
  }

  /**
   * Copies the value at `source` to `destination` (in the same database). Resolves `true` when
   * copied, `false` when `source` is missing or `destination` exists (without `replace`).
   */
  copy(source: string, destination: string, options?: CopyOptions): Promise<boolean> {
    return this.call(
      () => ['COPY', this.key(source), this.key(destination), ...(options?.replace ? ['REPLACE'] : [])],
      asBoolean,
    );
  }

  /** Updates the last access time of keys. Resolves with how many exist. */
  touch(...keys: string[]): Promise<number> {
    return this.call(() => ['TOUCH', ...this.keys(requireNonEmpty(keys, 'touch'))], asInteger);
  }

  /**
   * Expires `key` at a point in time: a `Date` (its whole second) or a Unix time in seconds. A time
   * in the past deletes the key. Resolves `false` when the key is missing or the condition failed.
   */
  expireat(key: string, at: Date | number, condition?: ExpireCondition): Promise<boolean> {
    return this.call(
      () => [
        'EXPIREAT',
        this.key(key),
        requireTimestamp(at, 'seconds', 'expireat time'),
        ...conditionArgs(condition),
      ],
      asBoolean,
    );
  }

  /** Expires `key` at a point in time: a `Date` or a Unix time in milliseconds. */
  pexpireat(key: string, at: Date | number, condition?: ExpireCondition): Promise<boolean> {
    return this.call(
      () => [
        'PEXPIREAT',
        this.key(key),
        requireTimestamp(at, 'milliseconds', 'pexpireat time'),
        ...conditionArgs(condition),
      ],
      asBoolean,
    );
  }

  /**
   * When `key` expires, as a Unix time in seconds; `'no-expiry'` when it has none, `'missing'`
   * when the key does not exist (Redis's `-1` and `-2`, typed).
   */
  expiretime(key: string): Promise<ExpireTime> {
    return this.call(() => ['EXPIRETIME', this.key(key)], asExpireTime);
  }

  /** When `key` expires, as a Unix time in milliseconds; `'no-expiry'` or `'missing'` as for `expiretime`. */
  pexpiretime(key: string): Promise<ExpireTime> {
    return this.call(() => ['PEXPIRETIME', this.key(key)], asExpireTime);
  }
}
