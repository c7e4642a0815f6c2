import type { RedisDriver, RedisService } from '@redis-service/core';

/** What a job gets inside a worker process. */
export interface WorkerJobContext {
  /** A service over the adapter's driver, with the pool's key prefix. */
  readonly redis: RedisService;
  /** The driver under `redis`. */
  readonly driver: RedisDriver;
  /** The pool's key prefix (the case's prefix, so the run's cleanup finds every key). */
  readonly prefix: string;
  /** This worker's index in the pool, 0-based. */
  readonly workerIndex: number;
  /** How many workers the pool has. */
  readonly workerCount: number;
  /** The command timeout of `redis` (ms), for jobs that build another service over `driver`. */
  readonly commandTimeoutMs: number;
}

/**
 * A function a worker process runs by name. `params` and the resolved value cross the process
 * boundary as JSON, so both must be JSON-serializable (no bigint, no Uint8Array, no undefined in arrays).
 */
export type WorkerJob = (context: WorkerJobContext, params: unknown) => Promise<unknown>;
