import type { NodeRedisClient } from './node-redis-client.js';

/** How a sentinel hands a message to a subscription listener (text, unless a buffer mode is asked for). */
export type SentinelPubSubListener = (message: string | Buffer, channel: string | Buffer) => unknown;

/**
 * The part of a node-redis sentinel (`createSentinel()` from `redis` 6) the sentinel driver uses.
 * Any `RedisSentinelType`, whatever its modules, scripts or type mapping, fits.
 */
export interface NodeRedisSentinel {
  /** `connect()` succeeded and the sentinel has not been closed or destroyed since. */
  readonly isOpen: boolean;
  /** The topology is connected: a primary is known and its client is ready. */
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): Promise<void>;
  /**
   * Runs `fn` with the client of the current primary, once node-redis has one (it asks the sentinels
   * again first when that client is not ready). With `reserveClient`, one client serves every call,
   * in order.
   */
  _execute<T>(isReadonly: boolean | undefined, fn: (client: NodeRedisClient) => Promise<T>): Promise<T>;
  subscribe(channels: string, listener: SentinelPubSubListener): Promise<unknown>;
  unsubscribe(channels: string, listener?: SentinelPubSubListener): Promise<unknown>;
  pSubscribe(patterns: string, listener: SentinelPubSubListener): Promise<unknown>;
  pUnsubscribe(patterns: string, listener?: SentinelPubSubListener): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  on(event: 'error' | 'topology-change', listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  off(event: 'error' | 'topology-change', listener: (...args: any[]) => void): unknown;
}

/** A node-redis `topology-change` event that moved the primary. */
export function isPrimaryMove(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'MASTER_CHANGE'
  );
}
