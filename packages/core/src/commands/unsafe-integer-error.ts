import { RedisSerializationError } from '../errors/redis-error.js';

/**
 * An integer reply beyond `Number.MAX_SAFE_INTEGER` where a typed method promises a `number`: it
 * is never rounded, it is carried here exactly as `value`. `applied` says whether the command
 * changed data (`incr`, `decr`, `hincrBy`): then the write happened and must not be retried, or
 * it would count twice. A `RedisSerializationError` (code `ERR_REDIS_SERIALIZATION`).
 */
export class RedisUnsafeIntegerError extends RedisSerializationError {
  /** The exact reply. */
  readonly value: bigint;
  /** True when the server applied the command that produced it (a counter write). */
  readonly applied: boolean;

  constructor(value: bigint, applied: boolean) {
    super(
      applied
        ? `the write was applied: the new value ${value} is beyond Number.MAX_SAFE_INTEGER, so it is carried exactly as error.value (a bigint) instead of a rounded number; do not retry (it would count twice), and read such counters with command() to get bigints`
        : `integer reply ${value} is beyond Number.MAX_SAFE_INTEGER; it is carried exactly as error.value (a bigint); use command() to read it as a bigint`,
    );
    this.value = value;
    this.applied = applied;
  }
}
