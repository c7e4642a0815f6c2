import { RedisCapabilityError, RedisConnectionError, redactText } from '@redis-service/core';
import { DedicatedOverDriver, readClientId } from '@redis-service/core/adapter';
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
export class NodeRedisDedicatedConnection extends DedicatedOverDriver {
  private constructor(driver: NodeRedisDriver, clientId: number, ended: Promise<Error | undefined>) {
    super(driver, clientId, ended);
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
      // The driver's gate would connect again on the next command: it never gets one (DedicatedOverDriver refuses it).
      resolveEnded(lost);
    };
    client.on('error', onGone);
    (client as unknown as { on(event: 'end', listener: () => void): unknown }).on('end', () => {
      if (driver.closed) resolveEnded(undefined);
      else onGone();
    });
    const id = await readClientId(driver);
    ready = true;
    return new NodeRedisDedicatedConnection(driver, id, ended);
  }
}
