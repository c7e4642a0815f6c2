import { withinDeadline } from '../../blocking/within-deadline.js';
import { RedisCapabilityError, RedisClosedError } from '../../errors/redis-error.js';
import type { DedicatedConnection } from '../../port/dedicated.js';
import type { RedisDriver } from '../../port/driver.js';
import type { Coherence } from './coherence.js';
import type { L1Store } from './l1-store.js';
import { RetrySchedule } from './retry-schedule.js';

/** What `TrackingCoherence` needs. */
export interface TrackingCoherenceOptions {
  /** The service's driver, as the adapter gave it (not the write-observing view). */
  readonly driver: RedisDriver;
  readonly store: L1Store;
  readonly keyPrefix: string;
  /** The deadline of each setup step on the connection (ms; `0`: none). */
  readonly commandTimeoutMs: number;
  /** Names the endpoint in messages. */
  readonly describe: string;
}

type State = 'idle' | 'connecting' | 'live' | 'down' | 'closed';

/**
 * Coherence from Redis itself (server-assisted client-side caching): one dedicated connection,
 * opened for the service's life, sends `CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX
 * <keyPrefix>` and then subscribes to `__redis__:invalidate`, so every write to a key under the
 * prefix, by anyone, arrives on it as an invalidation. BCAST (rather than the default mode, where
 * Redis remembers which keys a connection read) lets the L1's reads go through the service's
 * shared connection like every other command; the cost is an invalidation per write under the
 * prefix, cached here or not.
 *
 * The store serves only while this connection is live: when it is lost (`ended`: closed by the
 * server, `CLIENT KILL`, a network failure, a keep-alive that got no answer) the store is emptied
 * and stops serving at once, and a new connection is opened (100 ms, doubling to 5 s, between
 * failed attempts); the store serves again, emptied again, once the new one is subscribed. A nil
 * invalidation (FLUSHDB, FLUSHALL) empties the store.
 */
export class TrackingCoherence implements Coherence {
  readonly kind = 'tracking' as const;
  readonly #options: TrackingCoherenceOptions;
  #state: State = 'idle';
  #connection: DedicatedConnection | undefined;
  #connecting: Promise<void> | undefined;
  readonly #retry = new RetrySchedule();
  #lastError: unknown;

  constructor(options: TrackingCoherenceOptions) {
    this.#options = options;
    const { driver } = options;
    if (!driver.capabilities.tracking || !driver.openDedicated) {
      throw new RedisCapabilityError('tracking', driver.name, "an L1 with coherence 'tracking'");
    }
  }

  get clientId(): number | undefined {
    return this.#state === 'live' ? this.#connection?.clientId : undefined;
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
    if (this.#state === 'live') return;
    if (this.#state === 'closed') throw new RedisClosedError('the service is closed');
    throw this.#lastError;
  }

  announce(): void {
    // Redis itself tells every tracking client, this one included.
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    this.#retry.cancel();
    this.#options.store.suspend();
    const connection = this.#connection;
    this.#connection = undefined;
    await this.#connecting?.catch(() => {});
    await connection?.close();
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
    const { driver, store, keyPrefix, commandTimeoutMs, describe } = this.#options;
    let connection: DedicatedConnection | undefined;
    try {
      connection = await driver.openDedicated!();
      const listen = connection.listenForInvalidations?.bind(connection);
      if (!listen) {
        throw new RedisCapabilityError(
          'tracking',
          driver.name,
          'listening for invalidations on a dedicated connection',
        );
      }
      const open = connection;
      const tracking = ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', open.clientId, 'BCAST'];
      if (keyPrefix !== '') tracking.push('PREFIX', keyPrefix);
      const what = `${describe}: the L1's invalidation connection`;
      await withinDeadline(open, commandTimeoutMs, what, () => open.send(tracking));
      await withinDeadline(open, commandTimeoutMs, what, () =>
        listen((keys) => this.#invalidated(open, keys)),
      );
      if (this.#state === 'closed') {
        await open.close();
        return;
      }
      this.#connection = open;
      this.#state = 'live';
      this.#retry.succeeded();
      store.resume();
      void open.ended.then((error) => this.#lost(open, error));
    } catch (error) {
      await connection?.close().catch(() => {});
      this.#lastError = error;
      if (this.#state === 'closed') return;
      this.#state = 'down';
      this.#retry.schedule(() => {
        if (this.#state === 'down') void this.#connect();
      });
    }
  }

  #invalidated(connection: DedicatedConnection, keys: readonly string[] | null): void {
    // Before the connection is live the store is not serving, and going live empties it anyway.
    if (connection !== this.#connection) return;
    const { store, keyPrefix } = this.#options;
    if (keys === null) {
      store.flush();
      return;
    }
    for (const key of keys) {
      if (key.startsWith(keyPrefix)) store.invalidate(key.slice(keyPrefix.length), true);
    }
  }

  #lost(connection: DedicatedConnection, error: Error | undefined): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    this.#options.store.suspend();
    if (this.#state === 'closed') return;
    this.#lastError = error;
    this.#state = 'down';
    // The first attempt right away: a lost connection is usually a killed one, not a dead server.
    void this.#connect();
  }
}
