import {
  type BatchItemResult,
  type DedicatedBatchOptions,
  type DedicatedConnection,
  type DedicatedSendOptions,
  RedisCapabilityError,
  type RedisCommand,
  RedisConnectionError,
  type RedisReply,
  RedisSerializationError,
  redactText,
} from '@redis-service/core';
import { describeEndpoint, type NodeRedisClient } from './node-redis-client.js';
import { NodeRedisDriver } from './node-redis-driver.js';

/** A node-redis client that can be duplicated (every `createClient()` client can). */
interface DuplicableClient {
  duplicate(overrides?: object): NodeRedisClient;
  readonly options?: { readonly socket?: unknown } | undefined;
}

/**
 * A dedicated connection of a node-redis driver: a duplicate of the driver's client under a driver
 * of its own (connected through the same `ConnectionGate`, replies normalized and errors mapped as
 * on the shared connection), pinned to RESP2, without a command timeout (core enforces deadlines:
 * a blocking command waits as long as its server timeout says), and never reconnected: once the
 * connection is lost it stays lost, since a new one would have another client id and no WATCHes.
 */
export class NodeRedisDedicatedConnection implements DedicatedConnection {
  readonly clientId: number;
  readonly ended: Promise<Error | undefined>;
  readonly #driver: NodeRedisDriver;
  readonly #lost: () => Error | undefined;

  private constructor(
    driver: NodeRedisDriver,
    clientId: number,
    ended: Promise<Error | undefined>,
    lost: () => Error | undefined,
  ) {
    this.#driver = driver;
    this.clientId = clientId;
    this.ended = ended;
    this.#lost = lost;
  }

  /** Opens a duplicate of `parent`, connects it and reads its `CLIENT ID`. */
  static async open(
    parent: NodeRedisClient,
    name: string,
    connectTimeoutMs: number,
  ): Promise<NodeRedisDedicatedConnection> {
    const source = parent as NodeRedisClient & Partial<DuplicableClient>;
    if (typeof source.duplicate !== 'function') {
      throw new RedisCapabilityError(
        'blocking',
        name,
        'a dedicated connection from a client that cannot duplicate()',
      );
    }
    const socket = (source.options?.socket ?? {}) as object;
    const client = source.duplicate({
      RESP: 2,
      disableOfflineQueue: true,
      commandOptions: { timeout: undefined },
      socket: { ...socket, reconnectStrategy: false },
    });
    const driver = new NodeRedisDriver(client, { name, commandTimeoutMs: 0, connectTimeoutMs });
    let ready = false;
    let lost: Error | undefined;
    let resolveEnded: (error: Error | undefined) => void = () => {};
    const ended = new Promise<Error | undefined>((resolve) => {
      resolveEnded = resolve;
    });
    const onGone = (error?: unknown) => {
      if (!ready || lost || client.isReady) return;
      if (driver.closed) {
        resolveEnded(undefined);
        return;
      }
      const reason = error instanceof Error ? redactText(error.message) : 'the server closed it';
      lost = new RedisConnectionError(
        `the dedicated connection to ${describeEndpoint(client)} was lost: ${reason}`,
        error instanceof Error ? { cause: error } : undefined,
      );
      // The driver's gate would connect again on the next command: it never gets one (see send).
      resolveEnded(lost);
    };
    client.on('error', onGone);
    (client as unknown as { on(event: 'end', listener: () => void): unknown }).on('end', () => {
      if (driver.closed) resolveEnded(undefined);
      else onGone();
    });
    try {
      const id = await driver.send(['CLIENT', 'ID']);
      if (typeof id !== 'number') throw new RedisSerializationError('CLIENT ID did not answer an integer');
      ready = true;
      return new NodeRedisDedicatedConnection(driver, id, ended, () => lost);
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.#lost() !== undefined || this.#driver.closed;
  }

  send(command: RedisCommand, options?: DedicatedSendOptions): Promise<RedisReply> {
    const lost = this.#lost();
    if (lost) return Promise.reject(lost);
    return this.#driver.send(command, options);
  }

  batch(commands: readonly RedisCommand[], options: DedicatedBatchOptions): Promise<BatchItemResult[]> {
    const lost = this.#lost();
    if (lost) return Promise.reject(lost);
    return this.#driver.batch(commands, options);
  }

  async close(): Promise<void> {
    await this.#driver.close();
  }
}
