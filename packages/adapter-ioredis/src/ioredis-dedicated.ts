import {
  type BatchItemResult,
  type DedicatedBatchOptions,
  type DedicatedConnection,
  type DedicatedSendOptions,
  type RedisCommand,
  RedisConnectionError,
  type RedisReply,
  RedisSerializationError,
  redactText,
} from '@redis-service/core';
import type { Redis, RedisOptions } from 'ioredis';
import { describeEndpoint, IoredisDriver } from './ioredis-driver.js';

/**
 * What a dedicated connection changes in the parent client's options (everything else, TLS,
 * credentials, `db`, `connectTimeout`, is kept by `duplicate()`):
 *
 * - RESP2 and `stringNumbers`, for exact replies whatever the parent uses;
 * - no `commandTimeout` / `blockingTimeout`: a blocking command waits as long as its own server
 *   timeout says, and core enforces every deadline itself;
 * - never reconnect (`retryStrategy` gives up at once): a reconnect would silently change the
 *   client id and drop the connection's WATCHes, so a lost connection stays lost;
 * - connected by the first command (`lazyConnect` with the offline queue, which only ever holds
 *   that `CLIENT ID`), so a failed connect rejects it with the driver's own error mapping.
 */
const DEDICATED_OPTIONS: RedisOptions = {
  protocol: 2,
  stringNumbers: true,
  lazyConnect: true,
  enableOfflineQueue: true,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
  reconnectOnError: null,
  autoResendUnfulfilledCommands: false,
  autoResubscribe: false,
  enableAutoPipelining: false,
  commandTimeout: undefined,
  blockingTimeout: undefined,
};

/**
 * A dedicated connection of an ioredis driver: a duplicate of the driver's client under a driver
 * of its own, so replies are normalized and errors mapped exactly as on the shared connection.
 */
export class IoredisDedicatedConnection implements DedicatedConnection {
  readonly clientId: number;
  readonly ended: Promise<Error | undefined>;
  readonly #driver: IoredisDriver;
  #ended = false;

  private constructor(driver: IoredisDriver, clientId: number, ended: Promise<Error | undefined>) {
    this.#driver = driver;
    this.clientId = clientId;
    this.ended = ended;
    void ended.then(() => {
      this.#ended = true;
    });
  }

  /** Opens a duplicate of `parent`, connects it and reads its `CLIENT ID`. */
  static async open(parent: Redis, name: string): Promise<IoredisDedicatedConnection> {
    const client = parent.duplicate(DEDICATED_OPTIONS);
    const driver = new IoredisDriver(client, { name, coalesce: false });
    let lastError: Error | undefined;
    client.on('error', (error: unknown) => {
      if (error instanceof Error) lastError = error;
    });
    const ended = new Promise<Error | undefined>((resolve) => {
      client.once('end', () => {
        if (driver.closed) resolve(undefined);
        else {
          const reason = lastError ? redactText(lastError.message) : 'the server closed it';
          resolve(
            new RedisConnectionError(
              `the dedicated connection to ${describeEndpoint(client)} was lost: ${reason}`,
              { cause: lastError },
            ),
          );
        }
      });
    });
    try {
      const id = await driver.send(['CLIENT', 'ID']);
      if (typeof id !== 'number') throw new RedisSerializationError('CLIENT ID did not answer an integer');
      return new IoredisDedicatedConnection(driver, id, ended);
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.#ended || this.#driver.closed;
  }

  send(command: RedisCommand, options?: DedicatedSendOptions): Promise<RedisReply> {
    return this.#driver.send(command, options);
  }

  batch(commands: readonly RedisCommand[], options: DedicatedBatchOptions): Promise<BatchItemResult[]> {
    return this.#driver.batch(commands, options);
  }

  close(): Promise<void> {
    return this.#driver.close();
  }
}
