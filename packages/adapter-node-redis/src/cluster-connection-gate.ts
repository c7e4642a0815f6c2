import { RedisClosedError, RedisConnectionError, type RedisError, redactText } from '@redis-service/core';
import { isReplyError } from './map-error.js';
import type { NodeRedisCluster } from './node-redis-cluster.js';

/** Options of `ClusterConnectionGate`. */
export interface ClusterConnectionGateOptions {
  /** The cluster's seeds, for messages: never credentials. */
  readonly endpoint: string;
  /** How long one discovery may take (ms) before the commands waiting for it fail. `0`: no bound. */
  readonly connectTimeoutMs: number;
}

/**
 * Connects a node-redis cluster on demand, like `ConnectionGate` does a client: a command that
 * finds the cluster not open starts discovery (commands waiting together share it) and fails with
 * `RedisConnectionError` as soon as no seed answers (node-redis tries each seed once, without
 * retrying: milliseconds for refused ports); the next command tries again, so a cluster that comes
 * up later is reached. Node connections of a discovered cluster reconnect on their own
 * (`clusterFailFastOptions`).
 *
 * The gate keeps an `error` listener on the cluster for its whole life: node-redis emits `error`
 * for every failed discovery, and an EventEmitter with no listener would throw it.
 */
export class ClusterConnectionGate {
  readonly #cluster: NodeRedisCluster;
  readonly #options: ClusterConnectionGateOptions;
  #waiting: Promise<void> | undefined;
  #cancel: ((error: RedisError) => void) | undefined;
  #lastError: Error | undefined;
  #closed = false;

  constructor(cluster: NodeRedisCluster, options: ClusterConnectionGateOptions) {
    this.#cluster = cluster;
    this.#options = options;
    const remember = (error: unknown) => {
      if (error instanceof Error) this.#lastError = error;
    };
    cluster.on('error', remember);
    cluster.on('node-error', (error: unknown, node: { host?: unknown; port?: unknown } | undefined) => {
      remember(error);
      if (!isReplyError(error)) this.#dropIfReady(node);
    });
    cluster.on('connect', () => {
      this.#lastError = undefined;
    });
  }

  /** The last error the cluster or one of its nodes emitted. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** `undefined` when the cluster is ready; otherwise a promise that resolves once it is. */
  whenReady(): Promise<void> | undefined {
    if (this.#cluster.isReady) return undefined;
    if (this.#closed) return Promise.reject(this.#closedError());
    if (!this.#waiting) {
      const waiting = this.#connect();
      const clear = () => {
        if (this.#waiting === waiting) this.#waiting = undefined;
      };
      waiting.then(clear, clear);
      this.#waiting = waiting;
    }
    return this.#waiting;
  }

  /** Stops waiting: a pending wait rejects with `RedisClosedError`, and later calls too. */
  close(): void {
    this.#closed = true;
    this.#cancel?.(this.#closedError());
  }

  #connect(): Promise<void> {
    const cluster = this.#cluster;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error: RedisError | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#cancel = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.#cancel = finish;
      const { connectTimeoutMs, endpoint } = this.#options;
      if (connectTimeoutMs > 0) {
        timer = setTimeout(
          () =>
            finish(
              // Nothing was sent yet: a discovery that never finished is a failed connection
              // (as on ioredis' cluster and a single node), whatever stalled it (a TLS handshake
              // to a plaintext port, a seed that accepts and says nothing).
              new RedisConnectionError(
                `redis cluster at ${endpoint} failed: topology not discovered within ${connectTimeoutMs} ms${this.#detail()}`,
              ),
            ),
          connectTimeoutMs,
        );
        timer.unref();
      }
      // Open but not ready: a discovery is under way (another caller's connect()); wait for it.
      const attempt: Promise<unknown> = cluster.isOpen ? this.#untilReady() : cluster.connect();
      attempt.then(
        () => finish(undefined),
        (error: unknown) => {
          if (error instanceof Error) this.#lastError = error;
          finish(
            new RedisConnectionError(
              `redis cluster at ${endpoint} failed: no seed node answered${this.#detail()}`,
              error instanceof Error ? { cause: error } : undefined,
            ),
          );
        },
      );
    });
  }

  /** A discovery someone else started: wait for its 'connect' (bounded by the connect timeout). */
  #untilReady(): Promise<void> {
    return new Promise((resolve) => {
      const onConnect = () => {
        this.#cluster.off('connect', onConnect);
        resolve();
      };
      this.#cluster.on('connect', onConnect);
    });
  }

  /**
   * A node client that reports an error while ready survived it (node-redis resets its decoder on
   * bytes it cannot read and carries on): replies can no longer be matched to commands. The
   * client is destroyed, so the commands on it fail now rather than at their timeout, and
   * forgotten, so that node-redis opens a new one for the node's next command.
   */
  #dropIfReady(info: { host?: unknown; port?: unknown } | undefined): void {
    if (typeof info?.host !== 'string' || typeof info.port !== 'number') return;
    const node = this.#cluster.nodeByAddress.get(`${info.host}:${info.port}`) as
      | { client?: { isReady?: boolean; destroy(): void } }
      | undefined;
    const client = node?.client;
    if (!node || !client?.isReady) return;
    node.client = undefined;
    try {
      client.destroy();
    } catch {
      // Nothing left to tear down.
    }
  }

  #detail(): string {
    const error = this.#lastError;
    return error ? ` (${redactText(error.message)})` : '';
  }

  #closedError(): RedisClosedError {
    return new RedisClosedError(`the node-redis cluster driver for ${this.#options.endpoint} is closed`);
  }
}
