import { decodeJson, encodeJson } from '../codec/json.js';
import { type Schema, type SchemaInput, type SchemaOutput, validateWithSchema } from '../codec/schema.js';
import type { RedisReply } from '../port/reply.js';
import { JsonCommands } from './json.js';
import { asNullableString, asNullableStringArray, asSetResult } from './replies.js';
import { type SetOptions, setArgs } from './strings.js';
import { requireNonEmpty } from './validate.js';

/**
 * Schema-checked values on any Standard Schema (zod, valibot, arktype, ...): checked before
 * writing (nothing is written when the value fails) and after reading (a stored value that fails
 * gives `RedisValidationError` naming the key and the issues).
 */
export class ModelCommands extends JsonCommands {
  /** The value at `key` checked against `schema`, or `null` when missing. */
  getModel<S extends Schema>(key: string, schema: S): Promise<SchemaOutput<S> | null> {
    return this.call(
      () => ['GET', this.key(key)],
      async (reply: RedisReply) => {
        const text = asNullableString(reply);
        if (text === null) return null;
        return validateWithSchema(schema, decodeJson(text, key), { key, when: 'read' });
      },
    );
  }

  /** Checks `value` against `schema`, then stores it as JSON. Resolves like `set`. */
  setModel<S extends Schema>(
    key: string,
    schema: S,
    value: SchemaInput<S>,
    options?: SetOptions,
  ): Promise<boolean> {
    return this.call(async () => {
      const prefixed = this.key(key);
      const extra = setArgs(options);
      await validateWithSchema(schema, value, { key, when: 'write' });
      // The input that passed is stored (not the parsed output), so a read validates the same value again.
      return ['SET', prefixed, encodeJson(value, key), ...extra];
    }, asSetResult);
  }

  /** Values at several keys (one MGET), each checked against `schema`; `null` for each missing one. */
  mgetModels<S extends Schema>(keys: readonly string[], schema: S): Promise<(SchemaOutput<S> | null)[]> {
    return this.call<(SchemaOutput<S> | null)[]>(
      () => ['MGET', ...this.keys(requireNonEmpty(keys, 'mgetModels'))],
      (reply: RedisReply) =>
        Promise.all(
          asNullableStringArray(reply).map((text, i) =>
            text === null
              ? null
              : validateWithSchema(schema, decodeJson(text, keys[i]), { key: keys[i]!, when: 'read' }),
          ),
        ),
    );
  }
}
