import { EventEmitter } from 'node:events';
import { type ResubscribingClient, ResubscribingSubscriber } from '@redis-service/core/adapter';
import { describe, expect, it } from 'vitest';

/**
 * A client that resubscribes by itself, as ioredis does: `drop()` closes it, `reconnect()` makes it
 * ready again. Once `holdReplies` is set, SUBSCRIBE / PSUBSCRIBE are confirmed only when `answer()`
 * says so, so a test decides the order; `forget()` loses every name, as ioredis does when its
 * connection drops again before its resubscribe replies arrived.
 */
class FakeClient extends EventEmitter implements ResubscribingClient {
  readonly subscribed = new Set<string>();
  holdReplies = false;
  readonly #replies: (() => void)[] = [];

  subscribe(channel: string): Promise<unknown> {
    return this.#confirm(channel);
  }
  psubscribe(pattern: string): Promise<unknown> {
    return this.#confirm(pattern);
  }
  #confirm(name: string): Promise<unknown> {
    if (!this.holdReplies) {
      this.subscribed.add(name);
      return Promise.resolve(1);
    }
    return new Promise((resolve) =>
      this.#replies.push(() => {
        this.subscribed.add(name);
        resolve(1);
      }),
    );
  }
  forget(): void {
    this.subscribed.clear();
  }
  async unsubscribe(channel: string): Promise<unknown> {
    this.subscribed.delete(channel);
    return 0;
  }
  async punsubscribe(pattern: string): Promise<unknown> {
    this.subscribed.delete(pattern);
    return 0;
  }
  async ping(): Promise<unknown> {
    return 'PONG';
  }
  get pendingReplies(): number {
    return this.#replies.length;
  }
  answer(): void {
    for (const reply of this.#replies.splice(0)) reply();
  }
  drop(): void {
    this.emit('close');
  }
  reconnect(): void {
    this.emit('ready');
  }
}

function subscriberOver(client: FakeClient): ResubscribingSubscriber<FakeClient> {
  return new ResubscribingSubscriber({
    connection: () => client,
    mapError: (error) => (error instanceof Error ? error : new Error(String(error))),
    pingIntervalMs: 0,
    pingTimeoutMs: 1000,
    endpoint: 'fake:6379',
  });
}

/** Lets queued microtasks and promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ResubscribingSubscriber interruptions', () => {
  it("tells 'lost' when the connection closes and 'restored' once its own resubscribe is confirmed", async () => {
    const client = new FakeClient();
    const subscriber = subscriberOver(client);
    const events: string[] = [];
    const messages: string[] = [];
    await subscriber.subscribe(
      { channels: ['a', 'b'] },
      (message) => messages.push(message.message as string),
      (event) => events.push(event),
    );
    client.holdReplies = true;

    client.drop();
    client.drop();
    expect(events).toEqual(['lost']);

    client.reconnect();
    await settle();
    expect(events).toEqual(['lost']);
    expect(client.pendingReplies).toBe(2);
    client.answer();
    await settle();
    expect(events).toEqual(['lost', 'restored']);

    client.emit('message', 'a', 'after');
    expect(messages).toEqual(['after']);
    subscriber.close();
  });

  it('does not report restored when the connection closed again before the resubscribe was confirmed', async () => {
    const client = new FakeClient();
    const subscriber = subscriberOver(client);
    const events: string[] = [];
    await subscriber.subscribe(
      { patterns: ['p:*'] },
      () => {},
      (event) => events.push(event),
    );
    client.holdReplies = true;

    client.drop();
    client.reconnect();
    await settle();
    client.drop();
    client.answer();
    await settle();
    expect(events).toEqual(['lost']);

    client.reconnect();
    await settle();
    client.answer();
    await settle();
    expect(events).toEqual(['lost', 'restored']);
    subscriber.close();
  });

  it('a ready without a loss (the first connect) reports nothing; a subscription left or closed hears nothing more', async () => {
    const client = new FakeClient();
    const subscriber = subscriberOver(client);
    const kept: string[] = [];
    const left: string[] = [];
    await subscriber.subscribe(
      { channels: ['k'] },
      () => {},
      (event) => kept.push(event),
    );
    const leaving = await subscriber.subscribe(
      { channels: ['l'] },
      () => {},
      (event) => left.push(event),
    );
    client.holdReplies = true;
    client.reconnect();
    await settle();
    expect(client.pendingReplies).toBe(0);

    await leaving.unsubscribe();
    client.drop();
    expect(kept).toEqual(['lost']);
    expect(left).toEqual([]);

    subscriber.close();
    client.reconnect();
    await settle();
    client.answer();
    await settle();
    expect(kept).toEqual(['lost']);
  });

  it('subscribes every name again itself when the client came back holding none of them', async () => {
    const client = new FakeClient();
    const subscriber = subscriberOver(client);
    const events: string[] = [];
    await subscriber.subscribe(
      { channels: ['c'], patterns: ['q:*'] },
      () => {},
      (event) => events.push(event),
    );
    expect([...client.subscribed].sort()).toEqual(['c', 'q:*']);

    client.drop();
    client.forget();
    client.reconnect();
    await settle();
    expect([...client.subscribed].sort()).toEqual(['c', 'q:*']);
    expect(events).toEqual(['lost', 'restored']);
    subscriber.close();
  });
});
