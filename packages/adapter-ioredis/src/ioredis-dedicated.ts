import { RedisConnectionError, redactText } from '@redis-service/core';
import { DedicatedOverDriver, LastConnectionError, readClientId } from '@redis-service/core/adapter';
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
export class IoredisDedicatedConnection extends DedicatedOverDriver {
  private constructor(driver: IoredisDriver, clientId: number, ended: Promise<Error | undefined>) {
    super(driver, clientId, ended);
  }

  /** Opens a duplicate of `parent`, connects it and reads its `CLIENT ID`. */
  static async open(parent: Redis, name: string): Promise<IoredisDedicatedConnection> {
    const client = parent.duplicate(DEDICATED_OPTIONS);
    const driver = new IoredisDriver(client, { name, coalesce: false });
    const connection = new LastConnectionError(client);
    const ended = new Promise<Error | undefined>((resolve) => {
      client.once('end', () => {
        if (driver.closed) resolve(undefined);
        else {
          const lastError = connection.error;
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
    return new IoredisDedicatedConnection(driver, await readClientId(driver), ended);
  }
}
