import { requireKey, requirePositiveInteger } from '../commands/validate.js';
import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisCommand, RedisReply } from '../port/reply.js';
import { buildFilter, type SearchFilter } from './search-filter.js';
import { knnScoreField, requireFieldName } from './search-names.js';
import { encodeVector, type VectorInput } from './vector-bytes.js';
import type { VectorIndexSpec } from './vector-index.js';

/** Options of `vectorSearch`. */
export interface VectorSearchOptions {
  /** How many nearest documents to return (a positive integer). */
  readonly k: number;
  /** Only documents matching this are considered. */
  readonly filter?: SearchFilter;
  /** Fields to return with each hit. Default none: each hit carries its key and score only. */
  readonly returnFields?: readonly string[];
  /**
   * The vector field, when the index is given by name only (with a `VectorIndexSpec` it is the
   * spec's `field`).
   */
  readonly field?: string;
}

/** One document found by `vectorSearch`. */
export interface VectorSearchHit {
  /** The document's key, without the service's key prefix. */
  readonly key: string;
  /** Its distance to the query vector under the index's metric: smaller is closer. */
  readonly score: number;
  /** The fields asked for with `returnFields` that the document has. */
  readonly fields: Record<string, string>;
}

/** A built `FT.SEARCH` and what its reply decoder needs to know. */
export interface KnnSearch {
  readonly command: RedisCommand;
  readonly scoreField: string;
}

/**
 * `FT.SEARCH` for the `k` nearest neighbours of `vector`, under `filter`. The vector goes as the
 * `$vec` parameter (FLOAT32 little-endian bytes) and `k` and numeric bounds as parameters too;
 * TAG and TEXT values are escaped; DIALECT 2 (the first dialect with parameters).
 */
export function knnSearchCommand(
  index: VectorIndexSpec | string,
  vector: VectorInput,
  options: VectorSearchOptions,
  keyPrefix: string,
): KnnSearch {
  if (typeof options !== 'object' || options === null) {
    throw new RedisValidationError('vectorSearch needs options with k');
  }
  const spec = typeof index === 'string' ? undefined : index;
  const name = requireKey(spec ? spec.name : index, 'index name');
  const vectorField = requireFieldName(spec ? spec.field : options.field, 'vector field (options.field)');
  if (spec && options.field !== undefined && options.field !== spec.field) {
    throw new RedisValidationError(`options.field '${options.field}' is not the index's vector field`);
  }
  const k = requirePositiveInteger(options.k, 'k');
  const blob = encodeVector(vector, spec?.dims);
  const filter = buildFilter(options.filter, spec ? (spec.fields ?? []) : undefined);
  const scoreField = knnScoreField(vectorField);
  const returned = (options.returnFields ?? []).map((field) => {
    const checked = requireFieldName(field, 'return field');
    // The vector is bytes, which a text reply would mangle.
    if (checked === vectorField) throw new RedisValidationError('the vector field cannot be a return field');
    if (spec && !(spec.fields ?? []).some((known) => known.name === checked)) {
      throw new RedisValidationError(`the index has no field '${checked}' to return`);
    }
    return checked;
  });
  const params: RedisArg[] = ['k', k, ...filter.params.flat(), 'vec', blob];
  const returnList = [...new Set(returned), scoreField];
  return {
    scoreField,
    command: [
      'FT.SEARCH',
      keyPrefix + name,
      `${filter.query}=>[KNN $k @${vectorField} $vec]`,
      'RETURN',
      returnList.length,
      ...returnList,
      'SORTBY',
      scoreField,
      'ASC',
      'LIMIT',
      0,
      k,
      'PARAMS',
      params.length,
      ...params,
      'DIALECT',
      2,
    ],
  };
}

function malformed(why: string): never {
  throw new RedisSerializationError(`unexpected reply to FT.SEARCH: ${why}`);
}

/**
 * The hits of a KNN `FT.SEARCH` reply in its RESP2 shape, `[total, key, [field, value, ...], ...]`,
 * sorted by score (closest first), keys without `keyPrefix`, the score field taken out of `fields`.
 */
export function decodeKnnReply(reply: RedisReply, scoreField: string, keyPrefix: string): VectorSearchHit[] {
  if (!Array.isArray(reply) || reply.length % 2 !== 1) malformed('expected [total, key, fields, ...]');
  if (typeof reply[0] !== 'number' && typeof reply[0] !== 'bigint') malformed('the total is not an integer');
  const hits: VectorSearchHit[] = [];
  for (let i = 1; i < reply.length; i += 2) {
    const key = reply[i];
    const flat = reply[i + 1];
    if (typeof key !== 'string') malformed(`hit ${(i - 1) / 2} has no key`);
    // A document deleted or expired between indexing and loading comes back without fields.
    if (flat === null) continue;
    if (!Array.isArray(flat) || flat.length % 2 !== 0) malformed(`hit '${key}' has no field/value list`);
    const fields: Record<string, string> = {};
    let score: number | undefined;
    for (let j = 0; j < flat.length; j += 2) {
      const field = flat[j];
      const value = flat[j + 1];
      if (typeof field !== 'string' || typeof value !== 'string')
        malformed(`hit '${key}' has a non-text field`);
      if (field === scoreField) score = Number(value);
      else fields[field] = value;
    }
    if (score === undefined || Number.isNaN(score)) malformed(`hit '${key}' has no numeric ${scoreField}`);
    const unprefixed = keyPrefix && key.startsWith(keyPrefix) ? key.slice(keyPrefix.length) : key;
    hits.push({ key: unprefixed, score, fields });
  }
  // SORTBY already orders them; sorting again keeps the promise whatever the server version does.
  return hits.sort((a, b) => a.score - b.score);
}
