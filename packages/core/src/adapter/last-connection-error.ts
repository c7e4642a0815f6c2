/**
 * The events `LastConnectionError` listens to, as an EventEmitter-style client (ioredis, iovalkey,
 * node-redis) emits them: `error` for a failed connect attempt or a lost connection, `ready` once
 * it can serve commands again.
 */
export interface ConnectionEventSource {
  /** Listens to the client's connection errors. */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Listens to the client becoming ready. */
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * The last error a client reported about its connection since it was last ready: what explains a
 * command that failed with the client's generic "connection is closed" (pass it to
 * `mapDriverError` as `lastError`), and what turns a refused handshake into `RedisAuthError`.
 *
 * Its `error` listener stays on the client for the client's whole life, which also keeps an
 * EventEmitter without other listeners from throwing the error and crashing the process.
 *
 * ```ts
 * readonly #connection = new LastConnectionError(client);
 * resetConnection(reason: Error) {
 *   this.#connection.record(reason); // what the commands failing now are told
 *   client.stream?.destroy();
 * }
 * ```
 */
export class LastConnectionError {
  #error: Error | undefined;

  /** @param client the client to listen to, from now on for its whole life */
  constructor(client: ConnectionEventSource) {
    client.on('error', (error: unknown) => {
      if (error instanceof Error) this.#error = error;
    });
    client.on('ready', () => {
      this.#error = undefined;
    });
  }

  /** The last `error` the client emitted since its last `ready`, or the last `record`ed reason. */
  get error(): Error | undefined {
    return this.#error;
  }

  /**
   * Records why the adapter is about to drop the connection itself (a `resetConnection(reason)`),
   * so the commands that fail with it say so, until the client is ready again.
   */
  record(reason: Error): void {
    this.#error = reason;
  }
}
