import { RedisReplyError } from '../errors/redis-error.js';

/**
 * A wait for notices on one channel. With pub/sub a notice is the message the owner published;
 * with polling there never is one and `next` is only a bounded, growing pause between looks.
 */
export interface NoticeListener {
  /** Resolves with the next notice, or undefined after at most `timeoutMs` (or the next poll step). */
  next(timeoutMs: number): Promise<string | undefined>;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Opens listeners: the wake-up mechanism of `getOrCompute` waiters. */
export interface NoticeSource {
  /** Whether notices are pushed (pub/sub): then a waiter looks once after listening, then sleeps until one arrives. */
  readonly pushes: boolean;
  /**
   * The command the owner's scripts announce with: `PUBLISH`, or `SPUBLISH` where waiters listen
   * on shard channels (a cluster: the notice stays on the node of the key instead of reaching
   * every node). Default `PUBLISH`.
   */
  readonly publishCommand?: 'PUBLISH' | 'SPUBLISH';
  /** Starts listening on `channel`; resolves once a notice published from now on will be seen. */
  listen(channel: string): Promise<NoticeListener>;
}

/** First and last pause of the polling fallback (ms): doubling from 5 ms up to 100 ms. */
export const POLL_FIRST_MS = 5;
/** See `POLL_FIRST_MS`. */
export const POLL_MAX_MS = 100;

/** The fallback where the driver has no pub/sub: exponential pauses, 5 ms doubling to 100 ms. */
export const pollingNotices: NoticeSource = {
  pushes: false,
  listen(): Promise<NoticeListener> {
    let pause = POLL_FIRST_MS;
    return Promise.resolve({
      next(timeoutMs: number): Promise<undefined> {
        const ms = Math.max(0, Math.min(pause, timeoutMs));
        pause = Math.min(pause * 2, POLL_MAX_MS);
        return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
      },
      close: () => Promise.resolve(),
    });
  },
};

/**
 * A listener over any push source: messages are queued until `next` takes them, so a notice that
 * arrives between two looks is not lost.
 */
export class QueuedNoticeListener implements NoticeListener {
  readonly #queue: string[] = [];
  #waiting: ((message: string | undefined) => void) | undefined;
  readonly #stop: () => Promise<void>;

  /** @param stop releases the underlying subscription */
  constructor(stop: () => Promise<void>) {
    this.#stop = stop;
  }

  /** Hands a message to the waiting `next`, or queues it. */
  push(message: string): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting(message);
    } else {
      this.#queue.push(message);
    }
  }

  next(timeoutMs: number): Promise<string | undefined> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.#waiting = undefined;
          resolve(undefined);
        },
        Math.max(0, timeoutMs),
      );
      this.#waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  close(): Promise<void> {
    this.#waiting?.(undefined);
    this.#waiting = undefined;
    return this.#stop();
  }
}

/** Subscribes `onMessage` to one channel; resolves once the subscription is live. */
export type SubscribeChannel = (
  channel: string,
  onMessage: (message: string) => void,
) => Promise<{ unsubscribe(): Promise<void> }>;

/** Pub/sub wake-up over any way to subscribe to one channel (the driver port's `subscribe`, or the service's). */
export function pubsubNotices(subscribe: SubscribeChannel): NoticeSource {
  return {
    pushes: true,
    async listen(channel: string): Promise<NoticeListener> {
      let subscription: { unsubscribe(): Promise<void> } | undefined;
      const listener = new QueuedNoticeListener(() => subscription?.unsubscribe() ?? Promise.resolve());
      subscription = await subscribe(channel, (message) => listener.push(message));
      return listener;
    },
  };
}

type NoticeSubscription = AsyncIterable<{ readonly message: string }> & { unsubscribe(): Promise<void> };

/** The part of a service that pub/sub wake-up uses (a `RedisService` is one). */
export interface NoticeSubscriber {
  readonly capabilities: { readonly pubsub: boolean; readonly shardedPubsub?: boolean };
  subscribe(channel: string, options: { readonly bufferSize?: number }): Promise<NoticeSubscription>;
  ssubscribe?(channel: string, options: { readonly bufferSize?: number }): Promise<NoticeSubscription>;
}

/**
 * Pub/sub wake-up when the service's driver declares `pubsub`, bounded polling otherwise. On a
 * cluster whose driver has sharded pub/sub, waiters listen on shard channels (SSUBSCRIBE) and
 * owners announce with SPUBLISH: a notice stays on the node of the cached key. A server without
 * sharded pub/sub (before Redis 7) answers SSUBSCRIBE with an error; from then on this service
 * uses plain channels.
 */
export function serviceNotices(service: NoticeSubscriber, cluster = false): NoticeSource {
  if (!service.capabilities.pubsub) return pollingNotices;
  const plain = pubsubNotices((channel, onMessage) =>
    forward(service.subscribe(channel, NOTICE_BUFFER), onMessage),
  );
  const ssubscribe = service.ssubscribe?.bind(service);
  if (!cluster || !service.capabilities.shardedPubsub || !ssubscribe) return plain;
  let sharded = true;
  const shard = pubsubNotices((channel, onMessage) => forward(ssubscribe(channel, NOTICE_BUFFER), onMessage));
  return {
    pushes: true,
    get publishCommand() {
      return sharded ? 'SPUBLISH' : 'PUBLISH';
    },
    async listen(channel: string): Promise<NoticeListener> {
      if (!sharded) return plain.listen(channel);
      try {
        return await shard.listen(channel);
      } catch (error) {
        if (!isUnknownCommand(error)) throw error;
        sharded = false;
        return plain.listen(channel);
      }
    },
  };
}

// A waiter needs one notice; a small buffer is plenty.
const NOTICE_BUFFER = { bufferSize: 16 };

async function forward(
  subscribing: Promise<NoticeSubscription>,
  onMessage: (message: string) => void,
): Promise<NoticeSubscription> {
  const subscription = await subscribing;
  void (async () => {
    for await (const { message } of subscription) onMessage(message);
  })().catch(() => {});
  return subscription;
}

function isUnknownCommand(error: unknown): boolean {
  return error instanceof RedisReplyError && /unknown command/i.test(error.message);
}
