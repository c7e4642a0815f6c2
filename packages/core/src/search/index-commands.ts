import { requireKey, requirePositiveInteger } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisCommand } from '../port/reply.js';
import { requireFieldName } from './search-names.js';
import type { IndexFieldSpec, VectorIndexSpec } from './vector-index.js';

const DISTANCES = new Set(['COSINE', 'L2', 'IP']);
const ALGORITHMS = new Set(['FLAT', 'HNSW']);

/** Options of `dropIndex`. */
export interface DropIndexOptions {
  /** Also delete the indexed documents (`DD`). Default false: the hashes stay. */
  readonly deleteDocuments?: boolean;
}

/** Checks a spec's vector part and its field names; returns the spec for chaining. */
export function requireIndexSpec(spec: VectorIndexSpec): VectorIndexSpec {
  if (typeof spec !== 'object' || spec === null) throw new RedisValidationError('index must be an object');
  requireKey(spec.name, 'index name');
  requireKey(spec.prefix, 'index prefix');
  requireFieldName(spec.field, 'vector field');
  requirePositiveInteger(spec.dims, 'dims');
  if (!DISTANCES.has(spec.distance)) {
    throw new RedisValidationError(`distance must be COSINE, L2 or IP, got ${String(spec.distance)}`);
  }
  if (!ALGORITHMS.has(spec.algorithm)) {
    throw new RedisValidationError(`algorithm must be FLAT or HNSW, got ${String(spec.algorithm)}`);
  }
  const seen = new Set([spec.field]);
  for (const field of spec.fields ?? []) {
    const name = requireFieldName(field.name);
    if (seen.has(name)) throw new RedisValidationError(`field '${name}' appears twice in the index`);
    seen.add(name);
  }
  return spec;
}

function fieldArgs(field: IndexFieldSpec): RedisArg[] {
  switch (field.type) {
    case 'TAG': {
      const { separator } = field;
      if (separator === undefined) return [field.name, 'TAG'];
      if (typeof separator !== 'string' || separator.length !== 1 || separator.charCodeAt(0) > 0x7f) {
        throw new RedisValidationError(`TAG field '${field.name}': separator must be one ASCII character`);
      }
      return [field.name, 'TAG', 'SEPARATOR', separator];
    }
    case 'NUMERIC':
      return field.sortable ? [field.name, 'NUMERIC', 'SORTABLE'] : [field.name, 'NUMERIC'];
    case 'TEXT':
      return field.sortable ? [field.name, 'TEXT', 'SORTABLE'] : [field.name, 'TEXT'];
    default:
      throw new RedisValidationError(
        `field '${(field as IndexFieldSpec).name}': type must be TAG, NUMERIC or TEXT, got ${String((field as { type: unknown }).type)}`,
      );
  }
}

/**
 * `FT.CREATE` for a vector index over hashes. `keyPrefix` (the service's) is prepended to the
 * index name and to the document prefix, so that hits come back as the service's own keys.
 */
export function createIndexCommand(spec: VectorIndexSpec, keyPrefix: string): RedisCommand {
  requireIndexSpec(spec);
  const vectorAttributes: RedisArg[] = [
    'TYPE',
    'FLOAT32',
    'DIM',
    spec.dims,
    'DISTANCE_METRIC',
    spec.distance,
  ];
  return [
    'FT.CREATE',
    keyPrefix + spec.name,
    'ON',
    'HASH',
    'PREFIX',
    1,
    keyPrefix + spec.prefix,
    'SCHEMA',
    spec.field,
    'VECTOR',
    spec.algorithm,
    vectorAttributes.length,
    ...vectorAttributes,
    ...(spec.fields ?? []).flatMap(fieldArgs),
  ];
}

/** `FT.DROPINDEX`, with `DD` when the documents go too. */
export function dropIndexCommand(
  name: string,
  keyPrefix: string,
  options: DropIndexOptions = {},
): RedisCommand {
  const command: RedisArg[] = ['FT.DROPINDEX', keyPrefix + requireKey(name, 'index name')];
  if (options.deleteDocuments === true) command.push('DD');
  return command;
}
