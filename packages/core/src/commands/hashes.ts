import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';
import {
  asBoolean,
  asCounter,
  asInteger,
  asNullableString,
  asNullableStringArray,
  asRecord,
  asStringArray,
} from './replies.js';
import { StringCommands } from './strings.js';
import { type RedisValue, requireInteger, requireKey, requireNonEmpty, requireValue } from './validate.js';

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
}
