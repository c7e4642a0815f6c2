import { RedisClosedError, RedisConnectionError, redactText } from '@redis-service/core';
import type { Cluster } from 'ioredis';

/** Options of `ClusterGate`. */
export interface ClusterGateOptions {
  /** The cluster's seeds, for messages (`127.0.0.1:7000, ...`): never credentials. */
  readonly endpoint: string;
  /** The longest a command waits for the cluster to become ready (ms). `0`: no bound. */
  readonly connectTimeoutMs: number;
}

/**
 * The driver's own readiness gate in front of an ioredis `Cluster`. ioredis parks commands sent
 * before the cluster is ready in its offline queue, for as long as it keeps reconnecting, and
 * `enableOfflineQueue: false` does not work with `Cluster` (ioredis #581). So the driver asks the
 * gate first: while the cluster is ready nothing waits; otherwise the command waits for the
 * connection attempt under way (starting one when the cluster has given up) and fails with
 * `RedisConnectionError` as soon as that attempt fails: every seed refused, or a cluster that
 * answers but says `cluster_state:fail`. Callers waiting together share one attempt.
 */
export class ClusterGate {
  readonly #cluster: Cluster;
  readonly #options: ClusterGateOptions;
  #lastError: Error | undefined;
  #waiting: Promise<void> | undefined;
  readonly #cancels = new Set<(error: Error) => void>();
  #closed = false;

  constructor(cluster: Cluster, options: ClusterGateOptions) {
    this.#cluster = cluster;
    this.#options = options;
    const remember = (error: unknown) => {
      if (error instanceof Error) this.#lastError = error;
    };
    // Listeners also keep ioredis from logging "Unhandled error event".
    cluster.on('error', remember);
    cluster.on('node error', remember);
    cluster.on('ready', () => {
      this.#lastError = undefined;
    });
  }

  /** The last connection error the cluster reported since it was last ready. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /**
   * `undefined` when the cluster is ready; otherwise a promise that resolves once it is, or
   * rejects with `RedisConnectionError` (`RedisClosedError` after `close()`).
   */
  whenReady(): Promise<void> | undefined {
    if (this.#cluster.status === 'ready') return undefined;
    if (this.#closed) return Promise.reject(this.#closedError());
    if (!this.#waiting) {
      const waiting = this.#becomeReady();
      const clear = () => {
        if (this.#waiting === waiting) this.#waiting = undefined;
      };
      waiting.then(clear, clear);
      this.#waiting = waiting;
    }
    return this.#waiting;
  }

  /** Rejects every waiting caller with `RedisClosedError`, now and later. */
  close(): void {
    this.#closed = true;
    for (const cancel of [...this.#cancels]) cancel(this.#closedError());
  }

  #becomeReady(): Promise<void> {
    const cluster = this.#cluster;
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error: Error | undefined) => {
        clearTimeout(timer);
        cluster.off('ready', onReady);
        cluster.off('close', onClose);
        cluster.off('end', onClose);
        this.#cancels.delete(finish);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => finish(undefined);
      // 'close' ends a failed attempt (every seed refused, or a failed ready check); 'end' means
      // ioredis stopped retrying.
      const onClose = () => finish(this.#failedError());
      this.#cancels.add(finish);
      cluster.on('ready', onReady);
      cluster.on('close', onClose);
      cluster.on('end', onClose);
      if (this.#options.connectTimeoutMs > 0) {
        timer = setTimeout(
          () =>
            finish(
              new RedisConnectionError(
                `redis cluster at ${this.#options.endpoint} failed: not ready within ${this.#options.connectTimeoutMs} ms${this.#detail()}`,
              ),
            ),
          this.#options.connectTimeoutMs,
        );
        timer.unref();
      }
      // A cluster that gave up (or was built with lazyConnect) connects again on demand.
      if (cluster.status === 'end' || cluster.status === 'wait' || cluster.status === 'close') {
        cluster.connect().catch(() => {
          // The outcome reaches us through 'ready' / 'close'.
        });
      }
    });
  }

  #failedError(): Error {
    if (this.#closed) return this.#closedError();
    return new RedisConnectionError(
      `redis cluster at ${this.#options.endpoint} failed: no seed node could serve the cluster${this.#detail()}`,
      this.#lastError ? { cause: this.#lastError } : undefined,
    );
  }

  #detail(): string {
    const error = this.#lastError;
    if (!error) return '';
    const cause = (error as { lastNodeError?: unknown }).lastNodeError;
    const message = cause instanceof Error ? cause.message : error.message;
    return ` (${redactText(message)})`;
  }

  #closedError(): RedisClosedError {
    return new RedisClosedError(`the ioredis cluster driver for ${this.#options.endpoint} is closed`);
  }
}
