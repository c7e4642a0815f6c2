import { type RedisError, RedisUnknownMasterError } from '@redis-service/core';
import { isReplyError, mapConnectError } from './map-error.js';
import type { NodeRedisSentinel } from './node-redis-sentinel.js';

/** A sentinel's answer for a master name it does not monitor. */
const NO_SUCH_MASTER = /no such master/i;

/** Options of a `SentinelGate`. */
export interface SentinelGateOptions {
  /** The master name and sentinels, for messages. */
  readonly endpoint: string;
  readonly masterName: string;
}

/**
 * Opens a node-redis sentinel on demand: node-redis needs `connect()` before any command, and a
 * sentinel whose `connect()` failed is torn down (`isOpen` false) until someone calls it again. The
 * gate makes that call when a command finds the sentinel closed; concurrent commands share one
 * attempt, which rejects with `RedisConnectionError` (`RedisUnknownMasterError` when a sentinel
 * said it monitors no primary by that name). The next command tries again, so sentinels that come
 * back later are reached without recreating anything. Once open, node-redis follows the primary
 * itself: it asks the sentinels again when the primary's client is not ready.
 *
 * The gate keeps an `error` listener on the sentinel for its whole life: node-redis emits `error`
 * for every sentinel it could not ask, and an EventEmitter with no listener would throw it.
 */
export class SentinelGate {
  readonly #sentinel: NodeRedisSentinel;
  readonly #options: SentinelGateOptions;
  #opening: Promise<void> | undefined;
  #unknownMaster = false;
  #lastError: Error | undefined;
  #closed = false;

  constructor(sentinel: NodeRedisSentinel, options: SentinelGateOptions) {
    this.#sentinel = sentinel;
    this.#options = options;
    sentinel.on('error', (error: unknown) => {
      if (!(error instanceof Error)) return;
      this.#lastError = error;
      if (isReplyError(error) && NO_SUCH_MASTER.test(error.message)) this.#unknownMaster = true;
    });
  }

  /** The last error the sentinel emitted, if any. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** `undefined` when the sentinel is open; otherwise a promise that resolves once it is, or rejects. */
  whenOpen(): Promise<void> | undefined {
    if (this.#sentinel.isOpen && this.#opening === undefined) return undefined;
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  /** Stops opening: later calls are the driver's to refuse. */
  close(): void {
    this.#closed = true;
  }

  async #open(): Promise<void> {
    if (this.#closed || this.#sentinel.isOpen) return;
    this.#unknownMaster = false;
    try {
      await this.#sentinel.connect();
    } catch (error) {
      throw this.#connectError(error);
    }
  }

  #connectError(error: unknown): RedisError {
    const { endpoint, masterName } = this.#options;
    if (this.#unknownMaster) {
      return new RedisUnknownMasterError(
        masterName,
        `redis connection to ${endpoint} failed: the sentinels answered, but none names a primary for '${masterName}' (check the master name)`,
        { cause: error },
      );
    }
    return mapConnectError(error, endpoint);
  }
}
