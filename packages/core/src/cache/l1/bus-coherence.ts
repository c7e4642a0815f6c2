import { RedisCapabilityError, RedisClosedError } from '../../errors/redis-error.js';
import type { DriverMessage, DriverSubscription, RedisDriver } from '../../port/driver.js';
import { leaseToken } from '../lease-scripts.js';
import type { Coherence } from './coherence.js';
import type { L1Store } from './l1-store.js';
import { RetrySchedule } from './retry-schedule.js';
import type { WrittenKeys } from './written-keys.js';

/** The pub/sub channel of the invalidation bus (not key-prefixed: channels are not keys). */
export const L1_BUS_CHANNEL = '__rs:l1:invalidate';

/** The most keys one bus message carries; a larger write is announced in several. */
const KEYS_PER_MESSAGE = 500;

/** What `BusCoherence` needs. */
export interface BusCoherenceOptions {
  /** The service's driver, as the adapter gave it. */
  readonly driver: RedisDriver;
  /** Publishes through the service (its limiter and deadline). */
  readonly publish: (channel: string, message: string) => Promise<unknown>;
  readonly store: L1Store;
  readonly keyPrefix: string;
}

type State = 'idle' | 'connecting' | 'live' | 'interrupted' | 'down' | 'closed';

/**
 * Coherence where the server cannot track (Upstash REST): the services of this library announce
 * their writes to each other on `L1_BUS_CHANNEL` (`{"s":<sender>,"k":[<full keys>]}`, or
 * `{"s":<sender>,"all":true}` after FLUSHDB/FLUSHALL), and every L1 evicts what it hears of. A
 * write made outside the library is never announced: it is seen only when the entry's TTL runs
 * out (`L1Options.ttlMs`, and never past the key's TTL in Redis).
 *
 * The store serves only while the subscription is live: when the driver reports it interrupted
 * (`onInterruption('lost')`) the store is emptied and stops serving, and once it is restored it
 * serves again, emptied again. Announcements are sent after the write settled, one PUBLISH at a
 * time: what settles meanwhile goes in the next one.
 */
export class BusCoherence implements Coherence {
  readonly kind = 'bus' as const;
  readonly clientId = undefined;
  readonly #options: BusCoherenceOptions;
  readonly #sender = leaseToken();
  readonly #retry = new RetrySchedule();
  #state: State = 'idle';
  #subscription: DriverSubscription | undefined;
  #connecting: Promise<void> | undefined;
  #lastError: unknown;
  #pendingKeys = new Set<string>();
  #pendingAll = false;
  #publishing = false;

  constructor(options: BusCoherenceOptions) {
    this.#options = options;
    const { driver } = options;
    if (!driver.capabilities.pubsub || !driver.subscribe) {
      throw new RedisCapabilityError('pubsub', driver.name, "an L1 with coherence 'bus'");
    }
  }

  ensure(): void {
    if (this.#state === 'idle') void this.#connect();
  }

  async ready(): Promise<void> {
    if (this.#state === 'idle' || this.#state === 'down') {
      this.#retry.cancel();
      void this.#connect();
    }
    await this.#connecting;
    if (this.#options.store.serving) return;
    if (this.#state === 'closed') throw new RedisClosedError('the service is closed');
    throw this.#lastError ?? new RedisClosedError('the invalidation bus is interrupted');
  }

  announce(written: WrittenKeys): void {
    if (this.#state === 'closed') return;
    if (written === 'all') this.#pendingAll = true;
    else if (written.announce) for (const key of written.keys) this.#pendingKeys.add(key);
    else return;
    if (!this.#publishing) void this.#publishPending();
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    this.#retry.cancel();
    this.#options.store.suspend();
    await this.#connecting?.catch(() => {});
    await this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  #connect(): Promise<void> {
    if (this.#connecting) return this.#connecting;
    this.#state = 'connecting';
    this.#connecting = this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #open(): Promise<void> {
    const { driver, store } = this.#options;
    try {
      const subscription = await driver.subscribe!(
        { channels: [L1_BUS_CHANNEL] },
        (message) => this.#heard(message),
        (event) => this.#interrupted(event),
      );
      if (this.#state === 'closed') {
        await subscription.unsubscribe();
        return;
      }
      this.#subscription = subscription;
      this.#retry.succeeded();
      // An interruption reported while subscribing leaves the store off until 'restored'.
      if (this.#state === 'connecting') {
        this.#state = 'live';
        store.resume();
      }
    } catch (error) {
      this.#lastError = error;
      if (this.#state === 'closed') return;
      this.#state = 'down';
      this.#retry.schedule(() => {
        if (this.#state === 'down') void this.#connect();
      });
    }
  }

  #interrupted(event: 'lost' | 'restored'): void {
    if (this.#state === 'closed') return;
    const { store } = this.#options;
    if (event === 'lost') {
      this.#state = 'interrupted';
      store.suspend();
    } else if (this.#state === 'interrupted') {
      this.#state = this.#subscription ? 'live' : 'connecting';
      if (this.#subscription) store.resume();
    }
  }

  #heard({ message }: DriverMessage): void {
    const { store, keyPrefix } = this.#options;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { s: sender, k: keys, all } = parsed as { s?: unknown; k?: unknown; all?: unknown };
    // This service evicted its own writes already, when it sent them and when they settled.
    if (sender === this.#sender) return;
    if (all === true) {
      store.flush();
      return;
    }
    if (!Array.isArray(keys)) return;
    for (const key of keys) {
      if (typeof key === 'string' && key.startsWith(keyPrefix)) {
        store.invalidate(key.slice(keyPrefix.length), true);
      }
    }
  }

  async #publishPending(): Promise<void> {
    this.#publishing = true;
    try {
      while (this.#pendingAll || this.#pendingKeys.size > 0) {
        const messages: string[] = [];
        if (this.#pendingAll) messages.push(JSON.stringify({ s: this.#sender, all: true }));
        const keys = [...this.#pendingKeys];
        for (let start = 0; start < keys.length; start += KEYS_PER_MESSAGE) {
          messages.push(JSON.stringify({ s: this.#sender, k: keys.slice(start, start + KEYS_PER_MESSAGE) }));
        }
        this.#pendingAll = false;
        this.#pendingKeys = new Set();
        for (const message of messages) {
          // Best effort: an announcement lost with Redis leaves the others to their TTL.
          await this.#options.publish(L1_BUS_CHANNEL, message).catch(() => {});
        }
      }
    } finally {
      this.#publishing = false;
    }
  }
}
