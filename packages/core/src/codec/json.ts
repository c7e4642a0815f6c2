import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';

/**
 * Encodes a value as JSON for storage. Rejects, before anything is written: `undefined` (nothing to
 * store), values JSON cannot represent faithfully (BigInt, circular structures), and anything
 * `JSON.stringify` would turn into no text at all (a bare function or symbol).
 */
export function encodeJson(value: unknown, key?: string): string {
  if (value === undefined) {
    throw new RedisValidationError(
      `cannot store undefined as JSON${forKey(key)}`,
      key === undefined ? {} : { key },
    );
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // JSON.stringify throws TypeError for BigInt values and circular references.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisSerializationError(
      `cannot encode value as JSON${forKey(key)}: ${reason}`,
      key === undefined ? {} : { key },
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new RedisSerializationError(
      `value has no JSON form${forKey(key)} (a function or symbol?)`,
      key === undefined ? {} : { key },
    );
  }
  return text;
}

/** Decodes stored JSON text; a value that is not JSON gives `RedisSerializationError` naming the key. */
export function decodeJson(text: string, key?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RedisSerializationError(
      `stored value${forKey(key)} is not valid JSON`,
      key === undefined ? {} : { key },
      { cause: error },
    );
  }
}

function forKey(key: string | undefined): string {
  return key === undefined ? '' : ` for key '${key}'`;
}
