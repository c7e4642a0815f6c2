import { encodeJson } from '../codec/json.js';
import {
  requireKey,
  requireNonEmpty,
  requirePositiveInteger,
  requireWellFormed,
} from '../commands/validate.js';
import { RedisCapabilityError, RedisClosedError, RedisValidationError } from '../errors/redis-error.js';
import type { DriverSubscription, SubscriptionTarget } from '../port/driver.js';
import type { ServiceCore } from '../service/service-core.js';
import { waitAtMost } from '../util/wait-at-most.js';
import { MessageBuffer, type OverflowPolicy } from './message-buffer.js';
import type { SubscriptionKind } from './subscriber-registry.js';
import { Subscription } from './subscription.js';
import { SubscriptionOverflowError } from './subscription-overflow-error.js';

/** Options of `subscribe` and `psubscribe`. */
export interface SubscriptionOptions {
  /** The most messages held for a consumer that has not read them yet. Default 1000. */
  readonly bufferSize?: number;
  /**
   * What a full buffer does with the next message. `'drop-oldest'` (default): discards the oldest
   * buffered message and counts it in `dropped`. `'error'`: ends the subscription; its iterator
   * yields what was buffered, then throws `SubscriptionOverflowError`.
   */
  readonly overflow?: OverflowPolicy;
}

/** `subscribe('a', 'b')` or `subscribe('a', 'b', { bufferSize: 100 })`. */
export type SubscribeArgs = readonly string[] | readonly [...string[], SubscriptionOptions];

/** The default `bufferSize` of a subscription. */
export const DEFAULT_SUBSCRIPTION_BUFFER = 1000;

const noop = () => {};

/**
 * The pub/sub side of one service: publishes through the service's limiter and deadline, opens
 * subscriptions on the driver and ends them all when the service closes. Channels and patterns are
 * not key-prefixed: they are not keys, and a prefix would make patterns and other clients'
 * channels disagree.
 */
export class PubSub {
  readonly #core: ServiceCore;
  readonly #open = new Set<Subscription>();

  constructor(core: ServiceCore) {
    this.#core = core;
  }

  /** PUBLISH; resolves with how many subscribers received it (on this server). */
  publish(channel: string, message: string): Promise<number> {
    return this.#publish('PUBLISH', channel, message);
  }

  /** SPUBLISH (Redis 7 sharded pub/sub): to the shard channel's node; resolves with how many received it. */
  spublish(channel: string, message: string): Promise<number> {
    return this.#publish('SPUBLISH', channel, message);
  }

  #publish(command: 'PUBLISH' | 'SPUBLISH', channel: string, message: string): Promise<number> {
    try {
      requireKey(channel, 'channel');
      if (typeof message !== 'string') {
        throw new RedisValidationError(`message must be a string, got ${typeof message}`);
      }
      requireWellFormed(message, 'message');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#core.send([command, channel, message], false, undefined, (reply) => Number(reply));
  }

  /** Encodes `value` as JSON (refusing what JSON cannot hold, before anything is sent) and publishes it. */
  publishJson(channel: string, value: unknown): Promise<number> {
    let text: string;
    try {
      requireKey(channel, 'channel');
      text = encodeJson(value);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.publish(channel, text);
  }

  /** Opens a subscription to channels (`'channel'`), patterns (`'pattern'`) or shard channels (`'shard'`). */
  async subscribe(kind: SubscriptionKind, args: SubscribeArgs): Promise<Subscription> {
    const { names, options } = splitArgs(args, kind);
    const core = this.#core;
    const subscribeOnDriver = core.driver.subscribe?.bind(core.driver);
    if (!core.driver.capabilities.pubsub || !subscribeOnDriver) {
      throw new RedisCapabilityError('pubsub', core.driver.name, 'subscribing');
    }
    if (kind === 'shard' && !core.driver.capabilities.shardedPubsub) {
      throw new RedisCapabilityError('shardedPubsub', core.driver.name, 'subscribing to shard channels');
    }
    if (core.executor.closed) throw new RedisClosedError('the service is closed');
    const what = `${KIND_NAMES[kind]}s ${names.map((name) => `'${name}'`).join(', ')}`;
    let driverSubscription: DriverSubscription | undefined;
    let subscription: Subscription | undefined;
    const buffer = new MessageBuffer(options.bufferSize, options.overflow, () => {
      // The consumer fell behind: stop taking messages at once, not when it next reads.
      queueMicrotask(() => void subscription?.unsubscribe());
      return new SubscriptionOverflowError(options.bufferSize, what);
    });
    const target = {
      channels: kind === 'channel' ? names : [],
      patterns: kind === 'pattern' ? names : [],
      shardChannels: kind === 'shard' ? names : [],
    };
    subscription = new Subscription(target, buffer, async () => {
      buffer.end();
      this.#open.delete(subscription!);
      // Best effort, and bounded: a dead subscriber connection must not hold the caller up.
      if (driverSubscription)
        await waitAtMost(driverSubscription.unsubscribe(), core.options.commandTimeoutMs);
    });
    const started = subscribeOnDriver({ [TARGET_FIELDS[kind]]: names }, (message) => buffer.push(message));
    try {
      driverSubscription = await core.executor.run(() => started);
    } catch (error) {
      // Given up on (deadline, close): a subscription that still completes later is released.
      started.then((late) => late.unsubscribe(), noop).catch(noop);
      buffer.end();
      throw error;
    }
    if (core.executor.closed || buffer.ended) {
      await subscription.unsubscribe();
      if (core.executor.closed) throw new RedisClosedError('the service was closed while subscribing');
    } else {
      this.#open.add(subscription);
    }
    return subscription;
  }

  /** Ends every open subscription (their iterators finish); the driver's close releases the rest. */
  close(): void {
    for (const subscription of [...this.#open]) void subscription.unsubscribe();
    this.#open.clear();
  }
}

const KIND_NAMES: Readonly<Record<SubscriptionKind, string>> = {
  channel: 'channel',
  pattern: 'pattern',
  shard: 'shard channel',
};

const TARGET_FIELDS = {
  channel: 'channels',
  pattern: 'patterns',
  shard: 'shardChannels',
} as const satisfies Record<SubscriptionKind, keyof SubscriptionTarget>;

function splitArgs(
  args: SubscribeArgs,
  kind: SubscriptionKind,
): { names: string[]; options: Required<SubscriptionOptions> } {
  const last = args[args.length - 1];
  const hasOptions = typeof last === 'object' && last !== null;
  const options = (hasOptions ? last : {}) as SubscriptionOptions;
  const names = (hasOptions ? args.slice(0, -1) : args) as string[];
  const what = KIND_NAMES[kind];
  requireNonEmpty(names, `subscribing to a ${what}`);
  for (const name of names) requireKey(name, what);
  const bufferSize = requirePositiveInteger(options.bufferSize ?? DEFAULT_SUBSCRIPTION_BUFFER, 'bufferSize');
  const overflow = options.overflow ?? 'drop-oldest';
  if (overflow !== 'drop-oldest' && overflow !== 'error') {
    throw new RedisValidationError(`overflow must be 'drop-oldest' or 'error', got ${String(overflow)}`);
  }
  return { names: [...names], options: { bufferSize, overflow } };
}
