import { RedisTimeoutError } from '../errors/redis-error.js';

/**
 * A caller waited `queueTimeoutMs` for an inflight permit and did not get one: the command was
 * never handed to the driver, so it did not run and is safe to retry. A `RedisTimeoutError`
 * (code `ERR_REDIS_TIMEOUT`), so code that handles timeouts handles this one too.
 */
export class RedisQueueTimeoutError extends RedisTimeoutError {
  /** Always false: the command never left the queue. */
  readonly sent = false as const;
}
