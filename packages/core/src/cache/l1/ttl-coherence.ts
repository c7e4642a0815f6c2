import type { Coherence } from './coherence.js';
import type { L1Store } from './l1-store.js';

/**
 * No coherence but the TTL (`coherence: 'ttl'`): the store serves from the start, evicts this
 * service's own writes, and hears of nobody else's: a change made elsewhere is seen when the
 * entry's TTL runs out.
 */
export class TtlCoherence implements Coherence {
  readonly kind = 'ttl' as const;
  readonly clientId = undefined;
  readonly #store: L1Store;
  #closed = false;

  constructor(store: L1Store) {
    this.#store = store;
  }

  ensure(): void {
    if (!this.#closed && !this.#store.serving) this.#store.resume();
  }

  ready(): Promise<void> {
    this.ensure();
    return Promise.resolve();
  }

  announce(): void {}

  close(): Promise<void> {
    this.#closed = true;
    this.#store.suspend();
    return Promise.resolve();
  }
}
