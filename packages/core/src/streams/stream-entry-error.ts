import { type RedisErrorOptions, RedisValidationError, type ValidationIssue } from '../errors/redis-error.js';

/**
 * A stream entry read as JSON or as a model could not be decoded: its `json` field is missing or
 * is not JSON, or its value fails the schema. Names the stream (also as `key`, without the key
 * prefix) and the entry's `id`; `issues` says what was wrong. A `RedisValidationError`, like a
 * stored value that fails `getModel`.
 */
export class RedisStreamEntryError extends RedisValidationError {
  /** The stream the entry belongs to, without the key prefix. */
  readonly stream: string;
  /** The entry's id. */
  readonly id: string;

  constructor(
    stream: string,
    id: string,
    problem: string,
    issues?: readonly ValidationIssue[],
    options?: RedisErrorOptions,
  ) {
    super(
      `entry ${id} of stream '${stream}' ${problem}`,
      { key: stream, ...(issues ? { issues } : {}) },
      options,
    );
    this.stream = stream;
    this.id = id;
  }
}
