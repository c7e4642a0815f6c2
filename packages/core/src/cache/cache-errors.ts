import { RedisError, RedisTimeoutError } from '../errors/redis-error.js';

/**
 * `getOrCompute` waited `timeoutMs` for another caller's compute of `key` and no value (or error)
 * arrived. A `RedisTimeoutError`, so code that already handles timeouts handles this one too; pass
 * `onWaitTimeout: 'compute'` to compute locally instead.
 */
export class CacheWaitTimeoutError extends RedisTimeoutError {
  /** The key (without the key prefix) whose value did not arrive. */
  readonly key: string;

  constructor(key: string, timeoutMs: number) {
    super(
      `getOrCompute('${key}') waited ${timeoutMs} ms for another caller's compute and got neither a value nor an error (raise waitTimeoutMs, or pass onWaitTimeout: 'compute')`,
      timeoutMs,
    );
    this.key = key;
  }
}

/** What crosses process boundaries (and negative-cache entries) of a compute error. */
export interface ComputeErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * The compute of another process (or a cached error, with `negativeTtlMs`) failed. Callers in the
 * process that ran the compute get the original error object; everyone else gets this, carrying
 * its name, message and `code` (as `originalName`, `message` and `originalCode`). A `RedisError`
 * (code `ERR_REDIS_COMPUTE`), so `instanceof RedisError` catches it with everything else.
 */
export class CacheComputeError extends RedisError {
  readonly code = 'ERR_REDIS_COMPUTE' as const;
  /** The `name` of the original error, e.g. `TypeError`. */
  readonly originalName: string;
  /** The original error's `code` property, when it had a string one (e.g. `ENOTFOUND`). */
  readonly originalCode: string | undefined;
  /** True when the error came from a negative-cache entry rather than a compute in flight. */
  readonly cached: boolean;

  constructor(info: ComputeErrorInfo, cached: boolean) {
    super(info.message);
    this.originalName = info.name;
    this.originalCode = info.code;
    this.cached = cached;
  }
}

/** The transportable form of whatever a compute threw. */
export function computeErrorInfo(error: unknown): ComputeErrorInfo {
  if (error instanceof CacheComputeError) {
    const { originalName: name, message, originalCode: code } = error;
    return { name, message, ...(code ? { code } : {}) };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** Reads a `ComputeErrorInfo` back, tolerating anything malformed. */
export function parseComputeErrorInfo(value: unknown): ComputeErrorInfo {
  if (typeof value !== 'object' || value === null) return { name: 'Error', message: String(value) };
  const record = value as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : 'Error';
  const message = typeof record.message === 'string' ? record.message : 'compute failed';
  return typeof record.code === 'string' ? { name, message, code: record.code } : { name, message };
}
