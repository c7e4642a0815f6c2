import { decodeJson } from '../codec/json.js';
import type { DriverMessage } from '../port/driver.js';
import type { MessageBuffer } from './message-buffer.js';

/**
 * A message delivered to a subscription: the channel it was published to, the pattern that
 * matched (pattern subscriptions only) and the message text. Decode JSON with `decodeJson`.
 */
export type PubSubMessage = DriverMessage;

/** A message whose text was decoded as JSON (see `Subscription.json`). */
export interface PubSubJsonMessage<T> {
  readonly channel: string;
  /** The pattern that matched, for pattern subscriptions. */
  readonly pattern?: string;
  readonly value: T;
}

/**
 * A live subscription: an `AsyncIterable` of messages, in the order each channel received them,
 * and `AsyncDisposable`:
 *
 * ```ts
 * await using sub = await redis.subscribe('news');
 * for await (const { channel, message } of sub) console.log(channel, message);
 * ```
 *
 * Messages wait in a bounded buffer until read (see `SubscriptionOptions`). Leaving a `for await`
 * loop early (`break`, `return`, a throw) unsubscribes, as do `unsubscribe()`, disposal and
 * closing the service; after that the iterator yields nothing more (messages still buffered are
 * discarded). Messages published while the connection is down (between a loss and the
 * adapter's resubscription) are not delivered: Redis pub/sub keeps nothing for absent subscribers.
 */
export class Subscription implements AsyncIterable<PubSubMessage>, AsyncDisposable {
  /** The channels subscribed to (exact names, no key prefix). */
  readonly channels: readonly string[];
  /** The glob patterns subscribed to (no key prefix). */
  readonly patterns: readonly string[];
  /** The shard channels subscribed to (`ssubscribe`, no key prefix). */
  readonly shardChannels: readonly string[];
  readonly #buffer: MessageBuffer;
  readonly #release: () => Promise<void>;
  #unsubscribing: Promise<void> | undefined;

  /**
   * Built by `RedisService.subscribe` / `psubscribe`, not by application code.
   *
   * @param release ends the buffer and releases the driver's subscription (idempotent)
   */
  constructor(
    target: {
      readonly channels: readonly string[];
      readonly patterns: readonly string[];
      readonly shardChannels?: readonly string[];
    },
    buffer: MessageBuffer,
    release: () => Promise<void>,
  ) {
    this.channels = target.channels;
    this.patterns = target.patterns;
    this.shardChannels = target.shardChannels ?? [];
    this.#buffer = buffer;
    this.#release = release;
  }

  /** How many messages the `'drop-oldest'` policy has discarded because the consumer fell behind. */
  get dropped(): number {
    return this.#buffer.dropped;
  }

  /** The most messages held for the consumer at once. */
  get bufferSize(): number {
    return this.#buffer.capacity;
  }

  /** Whether the subscription has ended (unsubscribed, service closed, or overflowed). */
  get closed(): boolean {
    return this.#buffer.ended;
  }

  /**
   * Stops delivery: the iterator ends, and the server subscription is released. Idempotent. Never
   * rejects, and settles within the command timeout even when the subscriber connection is dead.
   */
  unsubscribe(): Promise<void> {
    this.#unsubscribing ??= this.#release();
    return this.#unsubscribing;
  }

  /** Lets `await using sub = await redis.subscribe(...)` unsubscribe at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }

  /**
   * Reads the messages decoded as JSON (the counterpart of `publishJson`). The value is not
   * validated: `T` is what you expect, not what is checked. A message that is not JSON throws
   * `RedisSerializationError` from the loop, which ends it (and so the subscription).
   */
  async *json<T = unknown>(): AsyncGenerator<PubSubJsonMessage<T>, void, undefined> {
    for await (const { channel, pattern, message } of this) {
      const value = decodeJson(message) as T;
      yield pattern === undefined ? { channel, value } : { channel, pattern, value };
    }
  }

  /** Reads the messages in arrival order; several iterators share (split) one stream. */
  [Symbol.asyncIterator](): AsyncIterator<PubSubMessage, undefined> {
    return {
      next: () => this.#buffer.next(),
      return: async () => {
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }
}
