import { EventEmitter } from 'node:events';
import { type ResubscribingClient, ResubscribingSubscriber } from '@redis-service/core/adapter';
import { describe, expect, it } from 'vitest';

/**
 * A client that resubscribes by itself, as ioredis does: `drop()` closes it, `reconnect()` makes it
 * ready again; PINGs are answered only when `answer()` says so, so a test decides the order.
 */
class FakeClient extends EventEmitter implements ResubscribingClient {
  readonly subscribed = new Set<string>();
  readonly #pings: (() => void)[] = [];

  async subscribe(channel: string): Promise<unknown> {
    this.subscribed.add(channel);
    return 1;
  }
  async psubscribe(pattern: string): Promise<unknown> {
    this.subscribed.add(pattern);
    return 1;
  }
  async unsubscribe(channel: string): Promise<unknown> {
    this.subscribed.delete(channel);
    return 0;
  }
  async punsubscribe(pattern: string): Promise<unknown> {
    this.subscribed.delete(pattern);
    return 0;
  }
  ping(): Promise<unknown> {
    return new Promise((resolve) => this.#pings.push(() => resolve('PONG')));
  }
  get pendingPings(): number {
    return this.#pings.length;
  }
  answer(): void {
    for (const pong of this.#pings.splice(0)) pong();
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
  it("tells 'lost' when the connection closes and 'restored' once a PING after the resubscribe is answered", async () => {
    const client = new FakeClient();
    const subscriber = subscriberOver(client);
    const events: string[] = [];
    const messages: string[] = [];
    await subscriber.subscribe(
      { channels: ['a', 'b'] },
      (message) => messages.push(message.message as string),
      (event) => events.push(event),
    );

    client.drop();
    client.drop();
    expect(events).toEqual(['lost']);

    client.reconnect();
    await settle();
    expect(events).toEqual(['lost']);
    expect(client.pendingPings).toBe(1);
    client.answer();
    await settle();
    expect(events).toEqual(['lost', 'restored']);

    client.emit('message', 'a', 'after');
    expect(messages).toEqual(['after']);
    subscriber.close();
  });

  it('does not report restored when the connection closed again before the PING was answered', async () => {
    const client = new FakeClient();
    const subscriber = subscriberOver(client);
    const events: string[] = [];
    await subscriber.subscribe(
      { patterns: ['p:*'] },
      () => {},
      (event) => events.push(event),
    );

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
    client.reconnect();
    await settle();
    expect(client.pendingPings).toBe(0);

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
});
