import type { DedicatedBatchOptions, DedicatedConnection, DedicatedSendOptions } from '../port/dedicated.js';
import type { BatchItemResult, RedisCommand, RedisReply } from '../port/reply.js';

/** What `DedicatedOverDriver` runs on: a driver of the adapter's own, over a connection of its own. */
export interface DedicatedDriver {
  /** Sends one command on the connection, as `RedisDriver.send`. */
  send(command: RedisCommand, options?: DedicatedSendOptions): Promise<RedisReply>;
  /** Sends a pipeline or MULTI/EXEC on the connection, as `RedisDriver.batch`. */
  batch(commands: readonly RedisCommand[], options: DedicatedBatchOptions): Promise<BatchItemResult[]>;
  /** Closes the connection. */
  close(): Promise<void>;
  /** Whether `close()` has been called. */
  readonly closed: boolean;
}

/**
 * A `DedicatedConnection` as a driver of the adapter's own over a connection of its own (a
 * duplicate of the shared client without a command timeout that never reconnects), so replies
 * are normalized and errors mapped exactly as on the shared connection. Once `ended` resolves
 * with an error (the connection was lost), every later command rejects with that error at once,
 * so the driver's client never connects again under the same lease.
 *
 * ```ts
 * const driver = new MyDriver(client.duplicate({ commandTimeout: undefined, retryStrategy: () => null }));
 * return new DedicatedOverDriver(driver, await readClientId(driver), ended);
 * ```
 */
export class DedicatedOverDriver implements DedicatedConnection {
  /** The connection's `CLIENT ID`. */
  readonly clientId: number;
  /** Resolves with the error when the connection was lost, with `undefined` after `close()`. */
  readonly ended: Promise<Error | undefined>;
  readonly #driver: DedicatedDriver;
  #lost: Error | undefined;

  /**
   * @param driver the adapter's driver over the connection
   * @param clientId its `CLIENT ID` (`readClientId`)
   * @param ended resolves with the error when the connection is lost, with `undefined` after
   *   `close()`; never rejects
   */
  constructor(driver: DedicatedDriver, clientId: number, ended: Promise<Error | undefined>) {
    this.#driver = driver;
    this.clientId = clientId;
    this.ended = ended;
    void ended.then((error) => {
      this.#lost = error;
    });
  }

  /** Whether the connection was lost or closed: it takes no more commands. */
  get isClosed(): boolean {
    return this.#lost !== undefined || this.#driver.closed;
  }

  /** Sends one command; rejects with the loss at once once the connection was lost. */
  send(command: RedisCommand, options?: DedicatedSendOptions): Promise<RedisReply> {
    return this.#lost ? Promise.reject(this.#lost) : this.#driver.send(command, options);
  }

  /** Sends a batch; rejects with the loss at once once the connection was lost. */
  batch(commands: readonly RedisCommand[], options: DedicatedBatchOptions): Promise<BatchItemResult[]> {
    return this.#lost ? Promise.reject(this.#lost) : this.#driver.batch(commands, options);
  }

  /** Closes the connection (the driver under it). */
  close(): Promise<void> {
    return this.#driver.close();
  }
}
