import { decodeJson, encodeJson } from '../codec/json.js';
import type { RedisReply } from '../port/reply.js';
import { GeoCommands } from './geo.js';
import { asNullableString, asNullableStringArray, asSetResult } from './replies.js';
import { type SetOptions, setArgs } from './strings.js';
import { requireNonEmpty } from './validate.js';

/** JSON values stored as strings. */
export class JsonCommands extends GeoCommands {
  /**
   * The JSON value at `key`, or `null` when missing. The type parameter is a cast, not a check:
   * use `getModel` to validate what was stored.
   */
  getJson<T = unknown>(key: string): Promise<T | null> {
    return this.call(
      () => ['GET', this.key(key)],
      (reply: RedisReply) => {
        const text = asNullableString(reply);
        return text === null ? null : (decodeJson(text, key) as T);
      },
    );
  }

  /**
   * Stores a value as JSON. A value JSON would not read back the same (NaN, Infinity, a Map or
   * Set, an `undefined` member, a class instance, a cycle, ...; see `encodeJson`) is refused with
   * `RedisSerializationError` before anything is sent. Resolves like `set`.
   */
  setJson(key: string, value: unknown, options?: SetOptions): Promise<boolean> {
    return this.call(() => ['SET', this.key(key), encodeJson(value, key), ...setArgs(options)], asSetResult);
  }

  /** JSON values at several keys (one MGET), `null` for each missing one. */
  mgetJson<T = unknown>(keys: readonly string[]): Promise<(T | null)[]> {
    return this.call(
      () => ['MGET', ...this.keys(requireNonEmpty(keys, 'mgetJson'))],
      (reply: RedisReply) =>
        asNullableStringArray(reply).map((text, i) =>
          text === null ? null : (decodeJson(text, keys[i]) as T),
        ),
    );
  }
}
