import { RedisCapabilityError, RedisConnectionError, redactText } from '@redis-service/core';
import { DedicatedOverDriver, readClientId } from '@redis-service/core/adapter';
import { mapNodeRedisError } from './map-error.js';
import { describeEndpoint, type NodeRedisClient } from './node-redis-client.js';
import { NodeRedisDriver } from './node-redis-driver.js';

/** Where RESP2 connections receive client-side caching invalidations. */
const INVALIDATION_CHANNEL = '__redis__:invalidate';

/** The subscribe call of a node-redis client (every `createClient()` client has it). */
interface SubscribingClient {
  subscribe(channel: string, listener: (message: unknown) => void): Promise<void>;
}

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
  readonly #driver: NodeRedisDriver;
  readonly #client: NodeRedisClient;
  // The loss as soon as it is known (before `ended` settles), for a listen that starts too late.
  readonly #lost: () => Error | undefined;

  private constructor(
    driver: NodeRedisDriver,
    client: NodeRedisClient,
    clientId: number,
    ended: Promise<Error | undefined>,
    lost: () => Error | undefined,
  ) {
    super(driver, clientId, ended);
    this.#driver = driver;
    this.#client = client;
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
    return new NodeRedisDedicatedConnection(driver, client, id, ended, () => lost);
  }

  /**
   * Subscribes this connection to Redis's invalidation channel (after core sent `CLIENT TRACKING
   * ON REDIRECT <this id> ...` on it) and hands each invalidation's keys to `onInvalidate`:
   * node-redis gives a listener of `__redis__:invalidate` the keys as strings, or `null` for a flush.
   */
  async listenForInvalidations(onInvalidate: (keys: readonly string[] | null) => void): Promise<void> {
    const lost = this.#lost();
    if (lost) throw lost;
    const client = this.#client as NodeRedisClient & SubscribingClient;
    try {
      await client.subscribe(INVALIDATION_CHANNEL, (message) => {
        if (message === null || message === undefined) onInvalidate(null);
        else onInvalidate((Array.isArray(message) ? message : [message]).map(String));
      });
    } catch (error) {
      throw mapNodeRedisError(error, {
        endpoint: describeEndpoint(client),
        lastConnectionError: this.#lost(),
        closed: this.#driver.closed,
      });
    }
  }
}
