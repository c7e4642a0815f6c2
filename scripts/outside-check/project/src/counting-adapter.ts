import { createIoredisDriverFromUrl } from '@redis-service/adapter-ioredis';
import type { AdapterUnderTest } from '@redis-service/conformance';
import {
  type BatchItemResult,
  type BatchOptions,
  type DriverCapabilities,
  evalWithFallback,
  type LuaScript,
  type RedisArg,
  type RedisCommand,
  type RedisDriver,
  type RedisReply,
  type SendOptions,
} from '@redis-service/core';

/**
 * A third-party adapter written against the published packages only: a driver that counts the
 * commands it sends, over the ioredis driver. Its scripts go through core's `evalWithFallback`, so
 * the EVALSHA / EVAL fallback the kit checks is this driver's own.
 */
export class CountingDriver implements RedisDriver {
  readonly name = 'counting';
  readonly capabilities: DriverCapabilities;
  readonly subscribe?: RedisDriver['subscribe'];
  readonly openDedicated?: RedisDriver['openDedicated'];
  readonly resetConnection?: RedisDriver['resetConnection'];
  /** How many commands went out, batched ones included. */
  sent = 0;
  readonly #inner: RedisDriver;

  constructor(inner: RedisDriver) {
    this.#inner = inner;
    this.capabilities = inner.capabilities;
    const subscribe = inner.subscribe?.bind(inner);
    if (subscribe)
      this.subscribe = (target, onMessage, onInterruption) => subscribe(target, onMessage, onInterruption);
    // A wrapper forwards the optional members of what it wraps, or declares less: the kit fails a
    // driver that declares \`blocking\` without dedicated connections, or that cannot drop a
    // half-open connection.
    const openDedicated = inner.openDedicated?.bind(inner);
    if (openDedicated) this.openDedicated = () => openDedicated();
    const resetConnection = inner.resetConnection?.bind(inner);
    if (resetConnection) this.resetConnection = (reason) => resetConnection(reason);
  }

  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    this.sent += 1;
    return this.#inner.send(command, options);
  }

  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    this.sent += commands.length;
    return this.#inner.batch(commands, options);
  }

  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(
      (command, sendOptions) => this.send(command, sendOptions),
      script,
      keys,
      args,
      options,
    );
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** The custom adapter as the kit sees it; worker processes load this (compiled) module. */
export const countingAdapter: AdapterUnderTest = {
  name: 'counting (a custom adapter)',
  transport: 'resp',
  worker: { module: import.meta.url, export: 'countingAdapter' },
  createDriver: ({ url, commandTimeoutMs }) =>
    new CountingDriver(
      createIoredisDriverFromUrl({ url, ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }) }),
    ),
};
