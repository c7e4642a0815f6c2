import { RedisError } from '../errors/redis-error.js';

/**
 * A subscription with `overflow: 'error'` received a message while its buffer was full: the
 * consumer fell behind. The subscription is closed at that point; its iterator still yields the
 * messages buffered before the overflow, then throws this.
 */
export class SubscriptionOverflowError extends RedisError {
  readonly code = 'ERR_REDIS_OVERFLOW' as const;
  /** The buffer size that was exceeded. */
  readonly bufferSize: number;

  constructor(bufferSize: number, what: string) {
    super(
      `the subscription to ${what} overflowed its buffer of ${bufferSize} messages: the consumer fell behind`,
    );
    this.bufferSize = bufferSize;
  }
}
