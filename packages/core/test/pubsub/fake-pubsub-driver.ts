import { type DriverMessage, type DriverSubscription, SubscriberRegistry } from '@redis-service/core';
import { FakeDriver } from '../support/fake-driver.js';

/** A fake driver with pub/sub: `emit` plays a message as if the server had delivered it. */
export class FakePubSubDriver extends FakeDriver {
  /** SUBSCRIBE/UNSUBSCRIBE calls the shared connection received, in order. */
  readonly serverCalls: string[] = [];
  /** When set, the next server subscribe waits for this promise. */
  hold: Promise<void> | undefined;
  /** When set, server unsubscribes wait for this promise (a dead subscriber connection: forever). */
  holdUnsubscribe: Promise<void> | undefined;
  readonly #registry = new SubscriberRegistry({
    subscribe: async (kind, name) => {
      this.serverCalls.push(`${kind === 'channel' ? 'SUBSCRIBE' : 'PSUBSCRIBE'} ${name}`);
      if (this.hold) await this.hold;
    },
    unsubscribe: async (kind, name) => {
      this.serverCalls.push(`${kind === 'channel' ? 'UNSUBSCRIBE' : 'PUNSUBSCRIBE'} ${name}`);
      if (this.holdUnsubscribe) await this.holdUnsubscribe;
    },
  });

  constructor() {
    super({ capabilities: { pubsub: true } });
  }

  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    return this.#registry.add(target, onMessage);
  }

  emit(channel: string, message: string, pattern?: string): void {
    this.#registry.deliver(pattern === undefined ? { channel, message } : { channel, pattern, message });
  }

  override close(): Promise<void> {
    this.#registry.clear();
    return super.close();
  }
}
