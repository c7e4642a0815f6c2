import { type RedisValue, requireKey, requireValue } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisCommand } from '../port/reply.js';
import { requireFieldName } from './search-names.js';
import { encodeVector, type VectorInput } from './vector-bytes.js';
import type { VectorIndexSpec } from './vector-index.js';

/** A document of a vector index: its vector and its other fields. */
export interface VectorDocument {
  readonly vector: VectorInput;
  /** TAG, NUMERIC and TEXT values (a TAG with several values joins them with its separator). */
  readonly fields?: Readonly<Record<string, RedisValue>>;
}

/**
 * `HSET` of a document: the vector field as FLOAT32 little-endian bytes, the other fields as
 * given. `key` must start with the index's prefix (otherwise the index would never see it).
 */
export function upsertDocumentCommand(
  index: VectorIndexSpec,
  key: string,
  document: VectorDocument,
  keyPrefix: string,
): RedisCommand {
  requireKey(key);
  if (!key.startsWith(index.prefix)) {
    throw new RedisValidationError(
      `key '${key}' does not start with the index prefix '${index.prefix}', so the index would not see it`,
      { key },
    );
  }
  if (typeof document !== 'object' || document === null) {
    throw new RedisValidationError('a vector document must be an object with a vector', { key });
  }
  const vectorField = requireFieldName(index.field, 'vector field');
  const args: RedisArg[] = ['HSET', keyPrefix + key, vectorField, encodeVector(document.vector, index.dims)];
  for (const [field, value] of Object.entries(document.fields ?? {})) {
    requireFieldName(field);
    if (field === vectorField) {
      throw new RedisValidationError(`field '${field}' is the vector field; give it as vector`, { key });
    }
    args.push(field, requireValue(value, `value of field '${field}'`));
  }
  return args;
}
