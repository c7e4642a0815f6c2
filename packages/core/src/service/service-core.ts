import { BlockingRunner } from '../blocking/blocking-runner.js';
import { DedicatedPool } from '../blocking/dedicated-pool.js';
import {
  type CommandRoute,
  partReplyOnError,
  routeCommand,
  type SlotPart,
  sharedSlot,
} from '../cluster/slot-route.js';
import {
  RedisCapabilityError,
  RedisSerializationError,
  RedisValidationError,
} from '../errors/redis-error.js';
import { ConnectionHealthCheck } from '../health/connection-health-check.js';
import { InflightLimiter } from '../limiter/inflight-limiter.js';
import type { RedisDriver } from '../port/driver.js';
import type { BatchItemResult, RedisCommand, RedisReply, SendOptions } from '../port/reply.js';
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
  /** The driver routes by hash slot (Redis Cluster): commands are routed and split here first. */
  readonly cluster: boolean;
  /** Names the endpoint in messages: `redis endpoint '<id>'`. */
  readonly describe: string;
  #dedicated: DedicatedPool | undefined;
  #blocking: BlockingRunner | undefined;

  constructor(driver: RedisDriver, options: RedisServiceOptions = {}, limiter?: InflightLimiter) {
    this.driver = driver;
    this.options = resolveServiceOptions(options, driver.name);
    this.describe = `redis endpoint '${this.options.endpointId}'`;
    this.cluster = driver.capabilities.cluster === true;
    if (this.cluster) refuseTaggedPrefix(this.options.keyPrefix);
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
    if (this.cluster) {
      let route: CommandRoute;
      try {
        route = routeCommand(command);
      } catch (error) {
        return Promise.reject(error);
      }
      return this.executor.run(
        (callSignal) => this.#sendRoute(command, route, binary, callSignal),
        signal,
        decode as ((reply: RedisReply) => T) | undefined,
      );
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

  /**
   * Sends one command to one node of a cluster (an id from `driver.masters()`), through the
   * limiter and the deadline; without a cluster, to the one server.
   */
  sendToNode<T = RedisReply>(
    command: RedisCommand,
    node: string | undefined,
    signal?: AbortSignal,
    decode?: (reply: RedisReply) => T | PromiseLike<T>,
  ): Promise<T> {
    return this.executor.run(
      (callSignal) =>
        this.driver.send(command, {
          ...(node === undefined ? {} : { node }),
          ...(callSignal ? { signal: callSignal } : {}),
        } satisfies SendOptions),
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
    if (this.cluster) return this.#clusterBatch(commands, transaction, binary);
    return this.executor.run(
      () => this.driver.batch(commands, { transaction, binary }),
      undefined,
      (items) => this.#checkCount(items, commands.length),
    );
  }

  #checkCount(items: BatchItemResult[], expected: number): BatchItemResult[] {
    // Checked here, where every batch passes: a driver that drops a result must never leave a
    // command without its own outcome.
    if (items.length !== expected) {
      throw new RedisSerializationError(
        `the ${this.driver.name} driver returned ${items.length} results for a batch of ${expected} commands`,
      );
    }
    return items;
  }

  /**
   * A batch on a cluster: a transaction goes to the one slot all its keys share (refused before
   * anything is sent when they span slots). A pipeline is split by slot (multi-key commands into
   * their per-slot parts): one batch per slot, all in parallel under one permit, so the commands
   * of one slot (of one key, above all) still run in the order they were queued; each command's
   * result or error goes back to its place, a split one's parts merged.
   */
  #clusterBatch(
    commands: readonly RedisCommand[],
    transaction: boolean,
    binary: boolean,
  ): Promise<BatchItemResult[]> {
    if (transaction) {
      let slot: number | undefined;
      try {
        slot = sharedSlot(commands, 'a transaction');
      } catch (error) {
        return Promise.reject(error);
      }
      return this.executor.run(
        () => this.driver.batch(commands, { transaction, binary, ...(slot === undefined ? {} : { slot }) }),
        undefined,
        (items) => this.#checkCount(items, commands.length),
      );
    }
    let routes: CommandRoute[];
    try {
      routes = commands.map((command) => routeCommand(command));
    } catch (error) {
      return Promise.reject(error);
    }
    const groups = new Map<
      number | undefined,
      { commands: RedisCommand[]; places: [number, number][]; parts: (SlotPart | undefined)[] }
    >();
    const place = (
      slot: number | undefined,
      command: RedisCommand,
      owner: number,
      partIndex: number,
      part?: SlotPart,
    ) => {
      let group = groups.get(slot);
      if (!group) {
        group = { commands: [], places: [], parts: [] };
        groups.set(slot, group);
      }
      group.commands.push(command);
      group.places.push([owner, partIndex]);
      group.parts.push(part);
    };
    routes.forEach((route, index) => {
      if (route.parts === undefined) place(route.slot, commands[index]!, index, 0);
      else {
        route.parts.forEach((part, partIndex) => {
          place(part.slot, part.command, index, partIndex, part);
        });
      }
    });
    return this.executor.run(async () => {
      const outcomes = routes.map((route) => new Array<BatchItemResult>(route.parts?.length ?? 1));
      await Promise.all(
        [...groups].map(async ([slot, group]) => {
          let items: BatchItemResult[];
          try {
            items = this.#checkCount(
              await this.driver.batch(group.commands, {
                transaction: false,
                binary,
                ...(slot === undefined ? {} : { slot }),
              }),
              group.commands.length,
            );
          } catch (error) {
            items = group.commands.map(() => ({ ok: false, error: asError(error) }));
          }
          group.places.forEach(([owner, partIndex], i) => {
            const item = items[i]!;
            const part = group.parts[i];
            const recovered = !item.ok && part ? partReplyOnError(part, item.error) : undefined;
            outcomes[owner]![partIndex] = recovered ? { ok: true, value: recovered.value } : item;
          });
        }),
      );
      return outcomes.map((parts, index): BatchItemResult => {
        const failed = parts.find((item) => !item.ok);
        if (failed) return failed;
        const route = routes[index]!;
        const values = parts.map((item) => (item.ok ? item.value : null));
        if (route.parts === undefined) return { ok: true, value: values[0]! };
        try {
          return { ok: true, value: route.merge(values) };
        } catch (error) {
          return { ok: false, error: asError(error) };
        }
      });
    });
  }

  /** Sends a routed command: to its slot, or as its per-slot parts in parallel, merged in order. */
  #sendRoute(
    command: RedisCommand,
    route: CommandRoute,
    binary: boolean,
    signal: AbortSignal | undefined,
  ): Promise<RedisReply> {
    if (route.parts === undefined) return this.driver.send(command, sendOptions(binary, signal, route.slot));
    const { parts } = route;
    // Promise.all, with each part's failure first given to `partReplyOnError`: one derived
    // promise per part (a split MGET of 100 keys has about 100 parts).
    return new Promise<RedisReply>((resolve, reject) => {
      const replies: RedisReply[] = new Array(parts.length);
      let left = parts.length;
      let failed = false;
      const settle = (index: number, reply: RedisReply) => {
        replies[index] = reply;
        if (--left > 0 || failed) return;
        try {
          resolve(route.merge(replies));
        } catch (error) {
          reject(error);
        }
      };
      for (let index = 0; index < parts.length; index++) {
        const part = parts[index]!;
        this.driver.send(part.command, sendOptions(binary, signal, part.slot)).then(
          (reply) => settle(index, reply),
          (error: unknown) => {
            const recovered = partReplyOnError(part, error);
            if (recovered) settle(index, recovered.value);
            else if (!failed) {
              failed = true;
              reject(error);
            }
          },
        );
      }
    });
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

function sendOptions(
  binary: boolean,
  signal: AbortSignal | undefined,
  slot: number | undefined,
): SendOptions {
  return {
    ...(binary ? { binary } : {}),
    ...(signal ? { signal } : {}),
    ...(slot === undefined ? {} : { slot }),
  };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * On a cluster only the first `{...}` of a key picks its slot. A key prefix with a `{` would take
 * that choice from every key of the service: all on one slot (one hot node, every rate limit and
 * cache entry included), or a tag cut in two that splits a limiter's or a cache entry's keys
 * across slots. Refused at construction, before anything is sent.
 */
function refuseTaggedPrefix(keyPrefix: string): void {
  if (!keyPrefix.includes('{')) return;
  throw new RedisValidationError(
    `keyPrefix '${keyPrefix}' contains '{': on Redis Cluster the first {...} of a key picks its hash slot, so this prefix would decide the slot of every key of the service (one hot node for every key, rate limit and cache entry, or keys that must share a slot split apart). Use a prefix without braces and put hash tags in the keys that must share a slot (hashTag(...)).`,
  );
}
