import * as port from '@redis-service/core';
import * as kit from '@redis-service/core/adapter';
import { Redis, type RedisOptions } from 'iovalkey';

/** The driver port over an iovalkey client; closing the driver disconnects it. */
export class IovalkeyDriver implements port.RedisDriver {
  readonly name = 'iovalkey';
  readonly capabilities: port.DriverCapabilities = Object.freeze({
    transactions: true,
    scripting: true,
    pubsub: true,
    binary: true,
    blocking: true,
    search: 'detect',
    exactIntegers: true,
  });
  readonly #client: Redis;
  readonly #endpoint: string;
  readonly #calls: kit.InflightCalls;
  readonly #subscriber: kit.ResubscribingSubscriber<Redis>;
  readonly #connection: kit.LastConnectionError;

  constructor(client: Redis) {
    this.#client = client;
    this.#endpoint = `${client.options.host ?? 'localhost'}:${client.options.port ?? 6379}`;
    this.#calls = new kit.InflightCalls({ describe: `the iovalkey driver for ${this.#endpoint}` });
    this.#connection = new kit.LastConnectionError(client);
    let connection: Redis | undefined;
    this.#subscriber = new kit.ResubscribingSubscriber({
      connection: () => (connection ??= client.duplicate({ enableOfflineQueue: true }).on('error', () => {})),
      mapError: this.#mapError,
      pingIntervalMs: client.options.commandTimeout ?? 5000,
      pingTimeoutMs: client.options.commandTimeout ?? 5000,
      endpoint: this.#endpoint,
    });
  }

  get closed(): boolean {
    return this.#calls.closed;
  }

  send(command: port.RedisCommand, options?: port.SendOptions): Promise<port.RedisReply> {
    const name = kit.commandName(command);
    const run = async () => {
      const raw: unknown = await this.#client.callBuffer(name, ...kit.commandArgs(command, asBuffer, 1));
      return kit.normalizeCommandReply(name, raw, options?.binary === true);
    };
    return this.#calls.track(options?.signal, run, this.#mapError);
  }

  batch(commands: readonly port.RedisCommand[], options: port.BatchOptions): Promise<port.BatchItemResult[]> {
    const names = commands.map((command) => kit.commandName(command));
    const reader: kit.BatchReader = {
      read: (name, raw) => kit.normalizeCommandReply(name, raw, options.binary === true),
      mapError: this.#mapError,
    };
    const run = async () => {
      const pipeline = this.#client.pipeline();
      if (options.transaction) pipeline.callBuffer('MULTI');
      for (const [i, command] of commands.entries()) {
        pipeline.callBuffer(names[i]!, ...kit.commandArgs(command, asBuffer, 1));
      }
      if (options.transaction) pipeline.callBuffer('EXEC');
      const outcomes = kit.settledFromErrorFirst(await pipeline.exec());
      const assemble = options.transaction ? kit.transactionResults : kit.pipelineResults;
      return assemble(names, outcomes, reader);
    };
    return this.#calls.track(options.signal, run, this.#mapError);
  }

  readonly evalScript: port.RedisDriver['evalScript'] = (...call) =>
    kit.evalWithFallback(this.send.bind(this), ...call);

  readonly subscribe: NonNullable<port.RedisDriver['subscribe']> = (target, onMessage) =>
    this.closed ? Promise.reject(this.#calls.closedError()) : this.#subscriber.subscribe(target, onMessage);

  /** A duplicate without a command timeout that never reconnects: once lost, it stays lost. */
  async openDedicated(): Promise<port.DedicatedConnection> {
    this.#calls.assertOpen();
    const client = this.#client.duplicate({ commandTimeout: undefined, retryStrategy: () => null });
    const driver = new IovalkeyDriver(client);
    const lost = new port.RedisConnectionError(`lost the dedicated connection to ${this.#endpoint}`);
    const ended = new Promise<Error | undefined>((resolve) => {
      client.once('end', () => resolve(driver.closed ? undefined : lost));
    });
    return new kit.DedicatedOverDriver(driver, await kit.readClientId(driver), ended);
  }

  /** Drops the connection now: what is in flight fails, nothing is sent again, iovalkey reconnects. */
  resetConnection(reason: Error): void {
    this.#connection.record(reason);
    this.#client.stream?.destroy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.#calls.close();
    for (const client of [this.#client, this.#subscriber.close()]) {
      client?.disconnect();
      client?.stream?.destroy();
    }
  }

  readonly #mapError = (error: unknown): port.RedisError => {
    const { name: driver, closed } = this;
    const [endpoint, lastError] = [this.#endpoint, this.#connection.error];
    return kit.mapDriverError(error, { driver, endpoint, closed, lastError }, (cause) => {
      if (cause.name === 'ReplyError') return kit.classifyServerError(cause.message, { endpoint, cause });
      if (cause.message === 'Command timed out') {
        return kit.timeoutFailure(endpoint, this.#client.options.commandTimeout ?? 0, cause);
      }
      // iovalkey's generic "gave up" errors: the client's last error says what happened.
      const generic = cause.name === 'MaxRetriesPerRequestError' || cause.message === 'Connection is closed.';
      return generic ? lastError?.message : undefined;
    });
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Builds the client (nothing connects before the first command) and the driver: bulk strings as
 * Buffers through `callBuffer`, integers as exact text, and fail-fast connections.
 */
export function createIovalkeyDriver(url: string, commandTimeoutMs = 5000): IovalkeyDriver {
  const options: RedisOptions = {
    stringNumbers: true,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    ...(commandTimeoutMs > 0 ? { commandTimeout: commandTimeoutMs } : {}),
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 400),
    autoResendUnfulfilledCommands: false,
  };
  return new IovalkeyDriver(new Redis(url, options));
}

/** The service over a new iovalkey driver: what an adapter package exports. */
export function createIovalkeyService(url: string, options: port.ServiceFactoryOptions = {}) {
  const driver = createIovalkeyDriver(kit.checkRedisUrl(url), options.commandTimeoutMs);
  return port.serviceOverDriver(driver, options);
}
