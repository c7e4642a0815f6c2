import { encodeJson } from '../codec/json.js';
import { type Schema, type SchemaOutput, summarizeIssues, validateWithSchema } from '../codec/schema.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';
import type { StreamEntry } from './stream-entries.js';
import { RedisStreamEntryError } from './stream-entry-error.js';

/**
 * The field a JSON or model entry keeps its value in: `xaddJson` / `xaddModel` write one field,
 * `json`, holding the value as JSON text; reads with `{ json: true }` or `{ schema }` decode it.
 */
export const STREAM_JSON_FIELD = 'json';

/** An entry read as JSON or as a model: its id, its raw fields, and the decoded `value`. */
export interface StreamValueEntry<T> extends StreamEntry {
  readonly value: T;
}

/** The fields of a JSON entry: `json <text>`. Values JSON cannot hold are refused before sending. */
export function jsonEntryArgs(value: unknown, stream: string): RedisArg[] {
  return [STREAM_JSON_FIELD, encodeJson(value, stream)];
}

/** The JSON value of an entry written by `xaddJson`, or `RedisStreamEntryError` naming stream and id. */
export function entryJson(entry: StreamEntry, stream: string): unknown {
  const text = Object.hasOwn(entry.fields, STREAM_JSON_FIELD) ? entry.fields[STREAM_JSON_FIELD] : undefined;
  if (text === undefined) {
    throw new RedisStreamEntryError(stream, entry.id, `has no '${STREAM_JSON_FIELD}' field to read as JSON`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RedisStreamEntryError(
      stream,
      entry.id,
      `holds no valid JSON in its '${STREAM_JSON_FIELD}' field`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/** The value of an entry checked against `schema`, or `RedisStreamEntryError` naming stream, id and issues. */
export async function entryModel<S extends Schema>(
  schema: S,
  entry: StreamEntry,
  stream: string,
): Promise<SchemaOutput<S>> {
  const value = entryJson(entry, stream);
  try {
    return await validateWithSchema(schema, value, { when: 'read' });
  } catch (error) {
    if (!(error instanceof RedisValidationError)) throw error;
    throw new RedisStreamEntryError(
      stream,
      entry.id,
      `failed schema validation: ${summarizeIssues(error.issues)}`,
      error.issues,
      { cause: error },
    );
  }
}

/** Decodes entries as JSON (no schema) or as models; the first that fails rejects the whole read. */
export function entryValues<T>(
  entries: readonly StreamEntry[],
  stream: string,
  schema: Schema | undefined,
): StreamValueEntry<T>[] | Promise<StreamValueEntry<T>[]> {
  if (!schema) return entries.map((entry) => ({ ...entry, value: entryJson(entry, stream) as T }));
  return Promise.all(
    entries.map(async (entry) => ({ ...entry, value: (await entryModel(schema, entry, stream)) as T })),
  );
}
