import { BlockingRunner } from '../blocking/blocking-runner.js';
import { DedicatedPool } from '../blocking/dedicated-pool.js';
import { RedisCapabilityError, RedisSerializationError } from '../errors/redis-error.js';
import { ConnectionHealthCheck } from '../health/connection-health-check.js';
import { InflightLimiter } from '../limiter/inflight-limiter.js';
import type { RedisDriver } from '../port/driver.js';
import type { BatchItemResult, RedisCommand, RedisReply } from '../port/reply.js';
import { CommandExecutor } from './command-executor.js';
import type { RedisServiceOptions, ResolvedServiceOptions } from './options.js';
import { resolveServiceOptions } from './resolve-options.js';

/**
 * What one service instance shares with its pipelines and transactions: the driver, the resolved
 * options, the endpoint's limiter and the executor every command passes through.
 */
export class ServiceCore {
  readonly driver: RedisDriver;
  readonly options: ResolvedServiceOptions;
  readonly limiter: InflightLimiter;
  readonly executor: CommandExecutor;
  /** Names the endpoint in messages: `redis endpoint '<id>'`. */
  readonly describe: string;
  #dedicated: DedicatedPool | undefined;
  #blocking: BlockingRunner | undefined;

  constructor(driver: RedisDriver, options: RedisServiceOptions = {}, limiter?: InflightLimiter) {
    this.driver = driver;
    this.options = resolveServiceOptions(options, driver.name);
    this.describe = `redis endpoint '${this.options.endpointId}'`;
    this.limiter = limiter ?? new InflightLimiter(this.options.maxInflight, { name: this.describe });
    const health = new ConnectionHealthCheck(driver, {
      timeoutMs: this.options.healthCheckTimeoutMs,
      describe: this.describe,
    });
    this.executor = new CommandExecutor(this.limiter, this.options, this.describe, true, () => {
      if (!this.executor.closed) health.suspect();
    });
  }

  /** The service's pool of dedicated connections (blocking commands, WATCH), opened lazily. */
  get dedicated(): DedicatedPool {
    this.#dedicated ??= new DedicatedPool(this.driver, this.options.maxDedicatedConnections, this.describe);
    return this.#dedicated;
  }

  /** Runs blocking commands on dedicated connections: the one path typed and raw ones take. */
  get blocking(): BlockingRunner {
    this.#blocking ??= new BlockingRunner(this);
    return this.#blocking;
  }

  /**
   * Ends the blocking commands in flight (unblocking them on the server, so no element is popped
   * into a dropped connection) and closes the dedicated connections. Called by the service's
   * `close()` after the executor closed and before the driver closes.
   */
  async closeDedicated(): Promise<void> {
    await this.#blocking?.close((command) => this.driver.send(command));
    await this.dedicated.close();
  }

  /** Throws `RedisCapabilityError` unless the driver declares `capability`. */
  require(capability: 'transactions' | 'scripting' | 'pubsub' | 'binary' | 'blocking', what: string): void {
    if (!this.driver.capabilities[capability])
      throw new RedisCapabilityError(capability, this.driver.name, what);
  }

  /**
   * Sends one command through the limiter, the deadline and the capability checks, and decodes
   * the reply with `decode` when given.
   */
  send<T = RedisReply>(
    command: RedisCommand,
    binary: boolean,
    signal?: AbortSignal,
    decode?: (reply: RedisReply) => T | PromiseLike<T>,
  ): Promise<T> {
    if (!this.driver.capabilities.binary) {
      try {
        this.#refuseBinary(command, binary);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.executor.run(
      // The driver gets the executor's per-call signal, never the caller's own (see `run`).
      (callSignal) =>
        this.driver.send(
          command,
          binary || callSignal ? { binary, ...(callSignal ? { signal: callSignal } : {}) } : undefined,
        ),
      signal,
      decode as ((reply: RedisReply) => T) | undefined,
    );
  }

  /** Sends a batch as one unit of the limiter (one permit, one deadline). */
  batch(
    commands: readonly RedisCommand[],
    transaction: boolean,
    binary: boolean,
  ): Promise<BatchItemResult[]> {
    try {
      if (transaction) this.require('transactions', 'a transaction');
      if (!this.driver.capabilities.binary)
        for (const command of commands) this.#refuseBinary(command, binary);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.executor.run(
      () => this.driver.batch(commands, { transaction, binary }),
      undefined,
      (items) => {
        // Checked here, where every batch passes: a driver that drops a result must never leave
        // a command without its own outcome.
        if (items.length !== commands.length) {
          throw new RedisSerializationError(
            `the ${this.driver.name} driver returned ${items.length} results for a batch of ${commands.length} commands`,
          );
        }
        return items;
      },
    );
  }

  /** Throws `RedisCapabilityError` when `args` hold bytes and the driver is not binary-safe. */
  refuseBytesUnlessBinary(args: readonly RedisCommand[number][]): void {
    if (!this.driver.capabilities.binary) this.#refuseBinary(args, false);
  }

  #refuseBinary(command: RedisCommand, binary: boolean): void {
    if (binary) throw new RedisCapabilityError('binary', this.driver.name, 'reading a value as bytes');
    for (const arg of command) {
      if (arg instanceof Uint8Array)
        throw new RedisCapabilityError('binary', this.driver.name, 'writing a Uint8Array value');
    }
  }
}
