import {
  type BatchItemResult,
  type BatchOptions,
  type DedicatedConnection,
  type DriverCapabilities,
  type DriverMessage,
  type DriverSubscription,
  type LuaScript,
  type RedisArg,
  type RedisCommand,
  RedisConnectionError,
  type RedisDriver,
  type RedisError,
  type RedisReply,
  RedisTimeoutError,
  type SendOptions,
} from '@redis-service/core';
import {
  ConnectionKeepAlive,
  classifyServerError,
  commandArgs,
  commandName,
  evalWithFallback,
  InflightCalls,
  isAuthFailure,
  mapDriverError,
  normalizeCommandReply,
  pipelineResults,
  readClientId,
  SubscriberRegistry,
  settledFromErrorFirst,
  transactionResults,
} from '@redis-service/core/adapter';
import { Redis, type RedisOptions } from 'iovalkey';

const CAPABILITIES: DriverCapabilities = Object.freeze({
  transactions: true,
  scripting: true,
  pubsub: true,
  binary: true,
  blocking: true,
  search: 'detect',
  exactIntegers: true,
});

/** Exact replies (bulk strings as Buffers through `callBuffer`, integers as text) and fail-fast connections. */
export function iovalkeyOptions(commandTimeoutMs: number): RedisOptions {
  return {
    stringNumbers: true,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    ...(commandTimeoutMs > 0 ? { commandTimeout: commandTimeoutMs } : {}),
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 400),
    autoResendUnfulfilledCommands: false,
    enableAutoPipelining: false,
  };
}

/** The driver port over an iovalkey client; closing the driver disconnects it. */
export class IovalkeyDriver implements RedisDriver {
  readonly name = 'iovalkey';
  readonly capabilities = CAPABILITIES;
  readonly #client: Redis;
  readonly #endpoint: string;
  readonly #calls: InflightCalls;
  readonly #registry = new SubscriberRegistry({
    subscribe: async (kind, name) => {
      const client = await this.#subscriber();
      await this.#call(
        () => (kind === 'channel' ? client.subscribe(name) : client.psubscribe(name)),
        'SUBSCRIBE',
      );
    },
    unsubscribe: async (kind, name) => {
      const client = this.#sub?.client;
      if (!client) return;
      await this.#call(
        () => (kind === 'channel' ? client.unsubscribe(name) : client.punsubscribe(name)),
        'UNSUBSCRIBE',
      );
    },
  });
  #sub: { client: Redis; keepAlive: ConnectionKeepAlive } | undefined;
  #lastError: Error | undefined;

  constructor(client: Redis) {
    this.#client = client;
    this.#endpoint = `${client.options.host ?? 'localhost'}:${client.options.port ?? 6379}`;
    this.#calls = new InflightCalls({ describe: `the iovalkey driver for ${this.#endpoint}` });
    client.on('error', (error: Error) => {
      this.#lastError = error;
    });
  }

  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    const name = commandName(command);
    return this.#call(
      async () => {
        const raw: unknown = await this.#client.callBuffer(name, ...commandArgs(command, asBuffer, 1));
        return normalizeCommandReply(name, raw, options?.binary === true);
      },
      name,
      options?.signal,
    );
  }

  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    const names = commands.map((command) => commandName(command));
    const reader = {
      read: (name: string, raw: unknown) => normalizeCommandReply(name, raw, options.binary === true),
      mapError: (error: unknown, name: string) => this.#mapError(error, name),
    };
    return this.#call(
      async () => {
        const pipeline = this.#client.pipeline();
        if (options.transaction) pipeline.callBuffer('MULTI');
        for (const [index, command] of commands.entries())
          pipeline.callBuffer(names[index]!, ...commandArgs(command, asBuffer, 1));
        if (options.transaction) pipeline.callBuffer('EXEC');
        const outcomes = settledFromErrorFirst(await pipeline.exec());
        return options.transaction
          ? transactionResults(names, outcomes, reader)
          : pipelineResults(names, outcomes, reader);
      },
      'EXEC',
      options.signal,
    );
  }

  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(this.send.bind(this), script, keys, args, options);
  }

  subscribe(
    target: { readonly channels?: readonly string[]; readonly patterns?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    return this.#calls.closed
      ? Promise.reject(this.#calls.closedError())
      : this.#registry.add(target, onMessage);
  }

  /** A duplicate without a command timeout that never reconnects: a lost one stays lost. */
  async openDedicated(): Promise<DedicatedConnection> {
    this.#calls.assertOpen();
    const client = this.#client.duplicate({
      commandTimeout: undefined,
      retryStrategy: () => null,
      enableOfflineQueue: true,
    });
    const driver = new IovalkeyDriver(client);
    const ended = new Promise<Error | undefined>((resolve) =>
      client.once('end', () =>
        resolve(
          driver.#calls.closed
            ? undefined
            : new RedisConnectionError(`the dedicated connection to ${driver.#endpoint} was lost`),
        ),
      ),
    );
    let lost = false;
    void ended.then((error) => (lost = error !== undefined));
    const clientId = await readClientId(driver);
    return {
      clientId,
      ended,
      get isClosed() {
        return lost || driver.#calls.closed;
      },
      send: (command, options) => driver.send(command, options),
      batch: (commands, options) => driver.batch(commands, options),
      close: () => driver.close(),
    };
  }

  /** Drops the connection now; iovalkey reconnects and nothing in flight is sent again. */
  resetConnection(reason: Error): void {
    this.#lastError = reason;
    this.#client.stream?.destroy();
  }

  close(): Promise<void> {
    if (this.#calls.closed) return Promise.resolve();
    this.#calls.close();
    this.#registry.clear();
    this.#sub?.keepAlive.stop();
    for (const client of [this.#client, this.#sub?.client]) {
      client?.disconnect();
      client?.stream?.destroy();
    }
    return Promise.resolve();
  }

  #call<T>(start: () => Promise<T>, name: string, signal?: AbortSignal): Promise<T> {
    return this.#calls.track(signal, start, (error) => this.#mapError(error, name));
  }

  async #subscriber(): Promise<Redis> {
    if (this.#sub) return this.#sub.client;
    const client = this.#client.duplicate({ enableOfflineQueue: true, autoResubscribe: true });
    client.on('error', () => {});
    const keepAlive = new ConnectionKeepAlive({
      idleMs: this.#client.options.commandTimeout ?? 5000,
      timeoutMs: this.#client.options.commandTimeout ?? 5000,
      describe: `the subscriber connection to ${this.#endpoint}`,
      ping: () => client.ping().catch((error: unknown) => Promise.reject(this.#mapError(error, 'PING'))),
      onUnanswered: (reason) => client.stream?.destroy(reason),
    });
    const deliver = (message: DriverMessage) => {
      keepAlive.received();
      this.#registry.deliver(message);
    };
    client.on('message', (channel: string, message: string) => deliver({ channel, message }));
    client.on('pmessage', (pattern: string, channel: string, message: string) =>
      deliver({ channel, pattern, message }),
    );
    keepAlive.start();
    this.#sub = { client, keepAlive };
    return client;
  }

  #mapError(error: unknown, command: string): RedisError {
    const endpoint = this.#endpoint;
    return mapDriverError(error, { driver: this.name, endpoint, closed: this.#calls.closed }, (cause) => {
      if (cause.name === 'ReplyError') return classifyServerError(cause.message, { endpoint, cause });
      if (cause.message === 'Command timed out')
        return new RedisTimeoutError(
          `${command}: no reply from ${endpoint} in time`,
          this.#client.options.commandTimeout ?? 0,
          { cause },
        );
      const last = this.#lastError;
      if (last?.name === 'ReplyError' && isAuthFailure(last.message))
        return classifyServerError(last.message, { endpoint, cause });
      return last && cause.name === 'MaxRetriesPerRequestError' ? last.message : undefined;
    });
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Builds the client with `iovalkeyOptions` (nothing connects before the first command) and the driver over it. */
export function createIovalkeyDriver(url: string, commandTimeoutMs = 5000): IovalkeyDriver {
  return new IovalkeyDriver(new Redis(url, iovalkeyOptions(commandTimeoutMs)));
}
