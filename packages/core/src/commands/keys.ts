import type { RedisArg } from '../port/reply.js';
import { CommandBase } from './command-base.js';
import { asBoolean, asInteger } from './replies.js';
import { exclusive, requireNonEmpty, requirePositiveInteger } from './validate.js';

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
}
