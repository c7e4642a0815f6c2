import { abortedError } from '../errors/aborted-error.js';
import { RedisCapabilityError, RedisClosedError } from '../errors/redis-error.js';
import { InflightLimiter, type ReleasePermit } from '../limiter/inflight-limiter.js';
import type { DedicatedConnection } from '../port/dedicated.js';
import type { RedisDriver } from '../port/driver.js';

/** Live counters of a service's pool of dedicated connections. */
export interface DedicatedPoolStats {
  /** Connections open now (idle or in use). */
  readonly open: number;
  /** Connections leased to a caller now (a blocking command or a WATCH transaction). */
  readonly inUse: number;
  /** Callers waiting for a connection, first come first served. */
  readonly queued: number;
  /** The most connections the pool opens (`maxDedicatedConnections`). */
  readonly max: number;
}

/** A dedicated connection leased to one caller. */
export interface DedicatedLease {
  readonly connection: DedicatedConnection;
  /**
   * Hands the connection back: kept for the next caller when `reusable` and still open, closed
   * otherwise (its state is unknown: a reply still owed, a WATCH still set). Idempotent.
   */
  release(reusable: boolean): void;
}

/**
 * A bounded pool of dedicated connections for one service. Connections are opened lazily, one per
 * caller that finds none idle while fewer than `max` are open; callers beyond that wait in a FIFO
 * queue (an `AbortSignal` takes a caller out of it). A connection that is lost while idle leaves
 * the pool; `close()` closes every connection and rejects the waiters with `RedisClosedError`.
 */
export class DedicatedPool {
  readonly #driver: RedisDriver;
  readonly #describe: string;
  readonly #permits: InflightLimiter;
  readonly #idle: DedicatedConnection[] = [];
  readonly #open = new Set<DedicatedConnection>();
  #closed = false;

  /**
   * @param max the most connections open at once
   * @param describe names the endpoint in messages
   */
  constructor(driver: RedisDriver, max: number, describe: string) {
    this.#driver = driver;
    this.#permits = new InflightLimiter(max);
    this.#describe = describe;
  }

  /** The pool's counters. */
  get stats(): DedicatedPoolStats {
    const { queued, maxInflight } = this.#permits.stats;
    return { open: this.#open.size, inUse: this.#open.size - this.#idle.length, queued, max: maxInflight };
  }

  /**
   * Leases a connection: an idle one, a new one while the pool has room, else the first to be
   * handed back after every earlier caller got theirs. Rejects with `RedisAbortedError` when
   * `signal` fires while waiting, `RedisClosedError` once the pool is closed, and with the
   * driver's error when a new connection cannot be opened.
   */
  async acquire(signal?: AbortSignal): Promise<DedicatedLease> {
    if (this.#closed) throw this.#closedError('is closed');
    const open = this.#driver.openDedicated?.bind(this.#driver);
    if (!open) throw new RedisCapabilityError('blocking', this.#driver.name, 'a dedicated connection');
    let permit: ReleasePermit;
    try {
      permit = await this.#permits.acquire(signal);
    } catch (error) {
      if (error instanceof RedisClosedError) throw this.#closedError('was closed while waiting');
      if (signal?.aborted) throw abortedError(signal, 'aborted while waiting for a dedicated connection');
      throw error;
    }
    let connection: DedicatedConnection;
    try {
      connection = this.#takeIdle() ?? (await this.#connect(open));
    } catch (error) {
      permit();
      throw error;
    }
    // Opening is bounded by the driver's connect timeout, so an abort meanwhile is honoured after
    // it: the new connection stays in the pool for the next caller.
    if (signal?.aborted || this.#closed) {
      this.#giveBack(connection, true, permit);
      throw this.#closed
        ? this.#closedError('was closed while waiting')
        : abortedError(signal!, 'aborted while waiting for a dedicated connection');
    }
    let released = false;
    return {
      connection,
      release: (reusable) => {
        if (released) return;
        released = true;
        this.#giveBack(connection, reusable, permit);
      },
    };
  }

  /** Closes every connection (idle or leased) and rejects the waiters. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#permits.close();
    const open = [...this.#open];
    this.#open.clear();
    this.#idle.length = 0;
    return Promise.all(open.map((connection) => connection.close())).then(() => {});
  }

  async #connect(open: () => Promise<DedicatedConnection>): Promise<DedicatedConnection> {
    const connection = await open();
    if (this.#closed) {
      await connection.close();
      throw this.#closedError('was closed while a connection was opening');
    }
    this.#open.add(connection);
    void connection.ended.then(() => {
      // A leased connection goes when its holder gives it back; an idle one goes now.
      if (this.#idle.includes(connection)) void connection.close();
      this.#forget(connection);
    });
    return connection;
  }

  /** The most recently returned idle connection still open (one lost a moment ago may not have left yet). */
  #takeIdle(): DedicatedConnection | undefined {
    for (let connection = this.#idle.pop(); connection; connection = this.#idle.pop()) {
      if (!connection.isClosed) return connection;
      this.#forget(connection);
      void connection.close();
    }
    return undefined;
  }

  #giveBack(connection: DedicatedConnection, reusable: boolean, permit: ReleasePermit): void {
    if (reusable && !connection.isClosed && !this.#closed && this.#open.has(connection)) {
      this.#idle.push(connection);
    } else {
      this.#forget(connection);
      void connection.close();
    }
    permit();
  }

  #forget(connection: DedicatedConnection): void {
    this.#open.delete(connection);
    const index = this.#idle.indexOf(connection);
    if (index !== -1) this.#idle.splice(index, 1);
  }

  #closedError(what: string): RedisClosedError {
    return new RedisClosedError(`the dedicated connections of ${this.#describe}: the service ${what}`);
  }
}
