import { requireFinite } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import { escapeQueryValue } from './query-escape.js';
import { requireFieldName } from './search-names.js';
import type { IndexFieldSpec } from './vector-index.js';

/** Documents whose TAG field holds at least one of `anyOf`. */
export interface TagFilter {
  readonly field: string;
  readonly anyOf: readonly string[];
}

/** Documents whose NUMERIC field lies in `[min, max]` (inclusive; a missing bound is open). */
export interface NumericFilter {
  readonly field: string;
  readonly min?: number;
  readonly max?: number;
}

/** Documents whose TEXT field contains every word of `matches`. */
export interface TextFilter {
  readonly field: string;
  readonly matches: string;
}

/**
 * Which documents a vector search considers. Every condition given must hold (AND). Values are
 * escaped or sent as query parameters: no user string ever becomes query syntax.
 */
export interface SearchFilter {
  readonly tag?: TagFilter | readonly TagFilter[];
  readonly numeric?: NumericFilter | readonly NumericFilter[];
  readonly text?: TextFilter | readonly TextFilter[];
}

/** A filter as query text plus the parameters (`$name`) it refers to. */
export interface BuiltFilter {
  /** The query clause, or `*` when there is no condition. */
  readonly query: string;
  /** Parameter names and values, in the order they are sent after `PARAMS`. */
  readonly params: readonly (readonly [string, string])[];
}

function listOf<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/**
 * Builds the query clause for `filter`. Field names must be identifiers and, when `schema` is
 * given, fields of the index with the right type.
 */
export function buildFilter(
  filter: SearchFilter | undefined,
  schema?: readonly IndexFieldSpec[],
): BuiltFilter {
  if (filter === undefined) return { query: '*', params: [] };
  if (typeof filter !== 'object' || filter === null)
    throw new RedisValidationError('filter must be an object');
  const clauses: string[] = [];
  const params: (readonly [string, string])[] = [];
  const field = (name: unknown, type: IndexFieldSpec['type']): string => {
    const checked = requireFieldName(name, `${type} filter field`);
    if (schema && !schema.some((spec) => spec.name === checked && spec.type === type)) {
      throw new RedisValidationError(`the index has no ${type} field '${checked}'`);
    }
    return checked;
  };

  for (const tag of listOf(filter.tag)) {
    const name = field(tag.field, 'TAG');
    if (!Array.isArray(tag.anyOf) || tag.anyOf.length === 0) {
      throw new RedisValidationError(`TAG filter on '${name}' needs at least one value in anyOf`);
    }
    const values = tag.anyOf.map((value, i) =>
      escapeQueryValue(value, `TAG filter on '${name}', anyOf[${i}]`),
    );
    clauses.push(`@${name}:{${values.join(' | ')}}`);
  }

  for (const range of listOf(filter.numeric)) {
    const name = field(range.field, 'NUMERIC');
    if (range.min === undefined && range.max === undefined) {
      throw new RedisValidationError(`NUMERIC filter on '${name}' needs min, max or both`);
    }
    const min =
      range.min === undefined ? undefined : requireFinite(range.min, `NUMERIC filter on '${name}', min`);
    const max =
      range.max === undefined ? undefined : requireFinite(range.max, `NUMERIC filter on '${name}', max`);
    if (min !== undefined && max !== undefined && min > max) {
      throw new RedisValidationError(`NUMERIC filter on '${name}': min ${min} is above max ${max}`);
    }
    const bound = (value: number | undefined, open: string): string => {
      if (value === undefined) return open;
      const param = `n${params.length}`;
      params.push([param, String(value)]);
      return `$${param}`;
    };
    const low = bound(min, '-inf');
    const high = bound(max, '+inf');
    clauses.push(`@${name}:[${low} ${high}]`);
  }

  for (const text of listOf(filter.text)) {
    const name = field(text.field, 'TEXT');
    if (typeof text.matches !== 'string') {
      throw new RedisValidationError(`TEXT filter on '${name}' needs matches to be a string`);
    }
    const words = text.matches.split(/\s+/).filter((word) => word.length > 0);
    if (words.length === 0)
      throw new RedisValidationError(`TEXT filter on '${name}' needs at least one word`);
    const terms = words.map((word) => escapeQueryValue(word, `TEXT filter on '${name}'`));
    clauses.push(`@${name}:(${terms.join(' ')})`);
  }

  if (clauses.length === 0) return { query: '*', params };
  return { query: `(${clauses.join(' ')})`, params };
}
