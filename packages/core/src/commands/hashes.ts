import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import {
  asBoolean,
  asCounter,
  asHashFields,
  asInteger,
  asNullableString,
  asNullableStringArray,
  asRecord,
  asScore,
  asStringArray,
  type HashField,
} from './replies.js';
import { StringCommands } from './strings.js';
import {
  type RedisValue,
  requireFinite,
  requireInteger,
  requireKey,
  requireNonEmpty,
  requireValue,
} from './validate.js';

/** Options of `hrandfield` with a count. */
export interface HrandfieldOptions {
  /** Return each field with its value. */
  readonly withValues?: boolean;
}

/** Commands on hashes. */
export class HashCommands extends StringCommands {
  /** One field's value, or `null`. */
  hget(key: string, field: string): Promise<string | null> {
    return this.call(() => ['HGET', this.key(key), requireKey(field, 'field')], asNullableString);
  }

  /** Sets one field. Resolves with how many fields were added (0 when it was updated). */
  hset(key: string, field: string, value: RedisValue): Promise<number>;
  /** Sets several fields from a record. Resolves with how many fields were added. */
  hset(key: string, fields: Readonly<Record<string, RedisValue>>): Promise<number>;
  hset(
    key: string,
    fieldOrRecord: string | Readonly<Record<string, RedisValue>>,
    value?: RedisValue,
  ): Promise<number> {
    return this.call(() => {
      const args: RedisArg[] = ['HSET', this.key(key)];
      if (typeof fieldOrRecord === 'string') {
        args.push(
          requireKey(fieldOrRecord, 'field'),
          requireValue(value, `value of field '${fieldOrRecord}'`),
        );
      } else {
        if (!fieldOrRecord || typeof fieldOrRecord !== 'object')
          throw new RedisValidationError('hset needs a field or a record');
        const entries = requireNonEmpty(Object.entries(fieldOrRecord), 'hset');
        for (const [field, fieldValue] of entries)
          args.push(requireKey(field, 'field'), requireValue(fieldValue, `value of field '${field}'`));
      }
      return args;
    }, asInteger);
  }

  /** Several fields' values, `null` for each missing one. */
  hmget(key: string, fields: readonly string[]): Promise<(string | null)[]> {
    return this.call(
      () => [
        'HMGET',
        this.key(key),
        ...requireNonEmpty(fields, 'hmget').map((field) => requireKey(field, 'field')),
      ],
      asNullableStringArray,
    );
  }

  /** Every field and value; `{}` for a missing key. */
  hgetall(key: string): Promise<Record<string, string>> {
    return this.call(() => ['HGETALL', this.key(key)], asRecord);
  }

  /** Deletes fields. Resolves with how many existed. */
  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.call(
      () => [
        'HDEL',
        this.key(key),
        ...requireNonEmpty(fields, 'hdel').map((field) => requireKey(field, 'field')),
      ],
      asInteger,
    );
  }

  /** Whether the field exists. */
  hexists(key: string, field: string): Promise<boolean> {
    return this.call(() => ['HEXISTS', this.key(key), requireKey(field, 'field')], asBoolean);
  }

  /** Adds an integer to a field; a missing field counts as 0. Beyond 2^53 as `incr` (applied, exact value). */
  hincrBy(key: string, field: string, by: number): Promise<number> {
    return this.call(
      () => ['HINCRBY', this.key(key), requireKey(field, 'field'), requireInteger(by, 'increment')],
      asCounter,
    );
  }

  /** How many fields the hash has. */
  hlen(key: string): Promise<number> {
    return this.call(() => ['HLEN', this.key(key)], asInteger);
  }

  /** The hash's field names. */
  hkeys(key: string): Promise<string[]> {
    return this.call(() => ['HKEYS', this.key(key)], asStringArray);
  }

  /** Sets a field only if it does not exist yet. Resolves `true` when it was set. */
  hsetnx(key: string, field: string, value: RedisValue): Promise<boolean> {
    return this.call(
      () => [
        'HSETNX',
        this.key(key),
        requireKey(field, 'field'),
        requireValue(value, `value of field '${field}'`),
      ],
      asBoolean,
    );
  }

  /** Adds `by` (a finite number) to a field; a missing field counts as 0. Resolves with the new value. */
  hincrByFloat(key: string, field: string, by: number): Promise<number> {
    return this.call(
      () => ['HINCRBYFLOAT', this.key(key), requireKey(field, 'field'), requireFinite(by, 'increment')],
      asScore,
    );
  }

  /** The hash's values, in the order of `hkeys`. */
  hvals(key: string): Promise<string[]> {
    return this.call(() => ['HVALS', this.key(key)], asStringArray);
  }

  /** The length in bytes of a field's value; 0 when the field or the key is missing. */
  hstrlen(key: string, field: string): Promise<number> {
    return this.call(() => ['HSTRLEN', this.key(key), requireKey(field, 'field')], asInteger);
  }

  /** A random field name, or `null` when the hash is missing. */
  hrandfield(key: string): Promise<string | null>;
  /**
   * Up to `count` distinct random field names; with a negative `count`, exactly `-count` fields
   * that may repeat. `[]` for a missing hash.
   */
  hrandfield(
    key: string,
    count: number,
    options?: HrandfieldOptions & { readonly withValues?: false },
  ): Promise<string[]>;
  /** Random fields with their values, as `hrandfield(key, count)` picks them. */
  hrandfield(
    key: string,
    count: number,
    options: HrandfieldOptions & { readonly withValues: true },
  ): Promise<HashField[]>;
  hrandfield(
    key: string,
    count?: number,
    options?: HrandfieldOptions,
  ): Promise<string | null | string[] | HashField[]> {
    if (count === undefined) return this.call(() => ['HRANDFIELD', this.key(key)], asNullableString);
    const withValues = options?.withValues === true;
    return this.call(
      () => [
        'HRANDFIELD',
        this.key(key),
        requireInteger(count, 'count'),
        ...(withValues ? ['WITHVALUES'] : []),
      ],
      (reply: RedisReply) => (withValues ? asHashFields(reply) : asStringArray(reply)),
    );
  }
}
