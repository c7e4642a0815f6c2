import {
  type BatchItemResult,
  type BatchOptions,
  clusterRedirect,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type DriverCapabilities,
  type DriverMessage,
  type DriverSubscription,
  evalWithFallback,
  type LuaScript,
  type RedisArg,
  type RedisCommand,
  RedisConnectionError,
  type RedisDriver,
  type RedisError,
  type RedisReply,
  RedisReplyError,
  RedisTimeoutError,
  routingSlot,
  type SendOptions,
  SLOT_COUNT,
  type SubscriptionTarget,
  slotName,
} from '@redis-service/core';
import { InflightCalls } from '@redis-service/core/adapter';
import type { BatchReader, CommandOutcome } from './batch-results.js';
import { checkTimeout } from './check-options.js';
import { ClusterConnectionGate } from './cluster-connection-gate.js';
import { sentToKeySlot } from './cluster-direct-route.js';
import { commandName, encodeCommand } from './encode-command.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './fail-fast-options.js';
import { mapNodeRedisError } from './map-error.js';
import type { NodeRedisCommandOptions } from './node-redis-client.js';
import {
  clusterWriteTimeout,
  describeSeeds,
  type NodeRedisCluster,
  type NodeRedisClusterNode,
} from './node-redis-cluster.js';
import { clusterPipeline } from './node-redis-cluster-pipeline.js';
import { NodeRedisClusterSubscriber } from './node-redis-cluster-subscriber.js';
import { clusterTransaction } from './node-redis-cluster-transaction.js';
import { REPLY_TYPE_MAPPING } from './normalize-reply.js';
import { normalizeCommandReply } from './resp3-shapes.js';

/** The pause before a command the cluster answered TRYAGAIN (a half-migrated slot) is sent again. */
const TRYAGAIN_PAUSE_MS = 50;
/**
 * The longest a command keeps being sent again while its slot answers TRYAGAIN (ms): long enough
 * for a migration step to move its keys, short enough that a slot stuck half-migrated fails the
 * command (RedisUnavailableError, TRYAGAIN) well inside the command timeout, as on ioredis.
 */
const MAX_TRYAGAIN_MS = 3_000;

/**
 * What the node-redis cluster driver can do. Blocking commands are not offered (they would hold a
 * node's shared connection); search needs the RediSearch coordinator, which a plain cluster lacks.
 */
export const NODE_REDIS_CLUSTER_CAPABILITIES: DriverCapabilities = Object.freeze({
  transactions: true,
  scripting: true,
  pubsub: true,
  binary: true,
  blocking: false,
  search: false,
  exactIntegers: true,
  cluster: true,
  shardedPubsub: true,
});

/** Options of `createNodeRedisClusterDriver`. */
export interface NodeRedisClusterDriverOptions {
  /** The driver's name in messages and reports. Default `node-redis-cluster`. */
  readonly name?: string;
  /**
   * How long a command may wait for its reply, connecting and redirections included (ms), before
   * it rejects with `RedisTimeoutError`. `0` disables it. Default 5000.
   */
  readonly commandTimeoutMs?: number;
  /** How long one topology discovery may take (ms) before the commands waiting for it fail. Default 2000. */
  readonly connectTimeoutMs?: number;
}

const SEND_OPTIONS: NodeRedisCommandOptions = Object.freeze({ typeMapping: REPLY_TYPE_MAPPING });

function withSignal(
  options: NodeRedisCommandOptions,
  signal: AbortSignal | undefined,
): NodeRedisCommandOptions {
  return signal ? { ...options, abortSignal: signal } : options;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The driver port over a node-redis 6 cluster (`createCluster()` from `redis`). Core routes, the
 * driver follows: a command goes straight to the client of the master of the hash slot core
 * computed, as node-redis' own routing would send it, but without that routing's cost (see
 * `sentToKeySlot`); one the node redirects, and any other command, goes through
 * `cluster.sendCommand` with a routing key of that slot (`slotName(slot)`), so node-redis sends it
 * to that slot's master and follows MOVED (refreshing its topology) and ASK; a TRYAGAIN (a
 * multi-key command on a half-migrated slot) is sent again after a short pause, within the command
 * timeout. Either way node-redis' write timeout is the cluster's (`clusterWriteTimeout`).
 * Transactions run as one chain on their slot's master and follow a redirection that refused them
 * as a whole (`clusterTransaction`). Replies are normalized and errors mapped exactly as by
 * `NodeRedisDriver` (same files).
 *
 * Connecting is lazy, as for one server: the first command discovers the topology, and fails
 * with `RedisConnectionError` at once when no seed answers; the next command tries again. A
 * command to a slot whose master is down fails typed (node-redis: the node's client is offline)
 * until node-redis, which refreshes its topology while a node reconnects, sees the promoted
 * replica.
 *
 * Closing the driver destroys the cluster: the driver owns it from then on.
 */
export class NodeRedisClusterDriver implements RedisDriver {
  readonly name: string;
  readonly capabilities: DriverCapabilities = NODE_REDIS_CLUSTER_CAPABILITIES;
  readonly #cluster: NodeRedisCluster;
  readonly #endpoint: string;
  readonly #gate: ClusterConnectionGate;
  readonly #commandTimeoutMs: number;
  readonly #subscriber: NodeRedisClusterSubscriber;
  readonly #calls: InflightCalls;
  readonly #send = this.send.bind(this);
  /** How a tracked call's rejection is mapped (one function for every call, not one per call). */
  readonly #mapCallError = (error: unknown): RedisError =>
    error instanceof RedisReplyError ? error : this.#mapError(error);
  /** The options of a command the driver sends to a node's client itself, as the cluster would give them. */
  readonly #direct: NodeRedisCommandOptions;
  /** `#slotOptions` by slot, made on first use. */
  readonly #bySlot = new Array<NodeRedisCommandOptions | undefined>(SLOT_COUNT);
  #closing: Promise<void> | undefined;

  /**
   * @param cluster a node-redis cluster, connected or not; the driver destroys it on `close()`
   */
  constructor(cluster: NodeRedisCluster, options: NodeRedisClusterDriverOptions = {}) {
    this.name = options.name ?? 'node-redis-cluster';
    this.#cluster = cluster;
    this.#endpoint = describeSeeds(cluster);
    this.#direct = Object.freeze({ ...SEND_OPTIONS, timeout: clusterWriteTimeout(cluster) });
    this.#commandTimeoutMs = checkTimeout(
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      'commandTimeoutMs',
    );
    this.#calls = new InflightCalls({
      describe: `the node-redis cluster driver for ${this.#endpoint}`,
      timeoutMs: this.#commandTimeoutMs,
      timeoutError: () => this.#timeoutError(),
    });
    this.#gate = new ClusterConnectionGate(cluster, {
      endpoint: this.#endpoint,
      connectTimeoutMs: checkTimeout(
        options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        'connectTimeoutMs',
      ),
    });
    this.#subscriber = new NodeRedisClusterSubscriber(
      cluster,
      (error) => this.#mapError(error),
      (start) => this.#whenReady(start),
    );
  }

  /** The node-redis cluster under this driver (for what the port does not cover). */
  get cluster(): NodeRedisCluster {
    return this.#cluster;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Sends one command to the master of `options.slot` (computed from the command's keys when not
   * given; any node for a keyless command), or to `options.node` only.
   */
  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    let args: (string | Buffer)[];
    let slot: number | undefined;
    try {
      this.#refuseIfClosed();
      args = encodeCommand(command);
      slot = options?.node === undefined ? (options?.slot ?? routingSlot(command)) : undefined;
    } catch (error) {
      return Promise.reject(error);
    }
    const binary = options?.binary === true;
    const signal = options?.signal;
    const node = options?.node;
    return this.#track(signal, () => {
      const waiting = this.#gate.whenReady();
      if (waiting === undefined) return this.#sendNow(args, slot, node, signal, binary);
      return waiting.then(() => {
        this.#refuseIfClosed();
        return this.#sendNow(args, slot, node, signal, binary);
      });
    });
  }

  async #sendNow(
    args: (string | Buffer)[],
    slot: number | undefined,
    node: string | undefined,
    signal: AbortSignal | undefined,
    binary: boolean,
  ): Promise<RedisReply> {
    const raw =
      node === undefined
        ? await this.#toSlot(args, slot, signal)
        : await (await this.#nodeClient(node)).sendCommand(args, withSignal(SEND_OPTIONS, signal));
    return normalizeCommandReply(args[0], raw, binary);
  }

  /**
   * A transaction runs as one chain on the master of `options.slot` (core checked that every key
   * is in it). A plain pipeline goes as one chain per slot (`options.slot`, or the commands grouped
   * by their own), in order, each command keeping its own reply or error and following its own
   * redirection (see `clusterPipeline`).
   */
  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    let encoded: (string | Buffer)[][];
    try {
      this.#refuseIfClosed();
      encoded = commands.map(encodeCommand);
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded.length === 0) return Promise.resolve([]);
    const binary = options.binary === true;
    if (!options.transaction) return this.#pipeline(commands, encoded, options.slot, binary, options.signal);
    let slot: number | undefined;
    try {
      slot = options.slot ?? commands.map((command) => routingSlot(command)).find((own) => own !== undefined);
    } catch (error) {
      return Promise.reject(error);
    }
    const reader: BatchReader = {
      read: (index, raw) => normalizeCommandReply(encoded[index]![0], raw, binary),
      mapError: (error) => this.#mapError(error),
    };
    return this.#track(options.signal, () =>
      this.#whenReady(() => clusterTransaction(this.#cluster, slot, encoded, reader)),
    );
  }

  #pipeline(
    commands: readonly RedisCommand[],
    encoded: (string | Buffer)[][],
    slot: number | undefined,
    binary: boolean,
    signal: AbortSignal | undefined,
  ): Promise<BatchItemResult[]> {
    const groups = new Map<number | undefined, number[]>();
    try {
      commands.forEach((command, index) => {
        const own = slot ?? routingSlot(command);
        const group = groups.get(own);
        if (group) group.push(index);
        else groups.set(own, [index]);
      });
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#track(signal, () =>
      this.#whenReady(async () => {
        const results = new Array<BatchItemResult>(encoded.length);
        await Promise.all(
          [...groups].map(async ([own, indexes]) => {
            const outcomes = await clusterPipeline(
              this.#cluster,
              own,
              indexes.map((index) => encoded[index]!),
              (args) => this.#routed([...args], own, SEND_OPTIONS),
            );
            outcomes.forEach((outcome, i) => {
              const index = indexes[i]!;
              results[index] = this.#item(encoded[index]!, outcome, binary);
            });
          }),
        );
        return results;
      }),
    );
  }

  #item(args: (string | Buffer)[], outcome: CommandOutcome, binary: boolean): BatchItemResult {
    if (!outcome.ok) return { ok: false, error: this.#mapError(outcome.error) };
    try {
      return { ok: true, value: normalizeCommandReply(args[0], outcome.raw, binary) };
    } catch (error) {
      return { ok: false, error: this.#mapError(error) };
    }
  }

  /** Runs a Lua script with EVALSHA, falling back to EVAL on NOSCRIPT, on the master of its keys' slot. */
  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(this.#send, script, keys, args, options);
  }

  /** Subscribes through the cluster's pub/sub connections (see `NodeRedisClusterSubscriber`). */
  subscribe(
    target: SubscriptionTarget,
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    try {
      this.#refuseIfClosed();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#subscriber.subscribe(target, onMessage);
  }

  /** The masters (`host:port`) of the topology the cluster knows now. */
  masters(): Promise<readonly string[]> {
    try {
      this.#refuseIfClosed();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#whenReady(() =>
      Promise.resolve(this.#cluster.masters.map((master) => master.address).sort()),
    );
  }

  /**
   * Closes the driver and destroys the cluster. Commands in flight reject with `RedisClosedError`
   * at once, as do later ones. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#calls.close();
      this.#gate.close();
      this.#subscriber.close();
      try {
        this.#cluster.destroy();
      } catch {
        // Already torn down: nothing left to close.
      }
      this.#closing = Promise.resolve();
    }
    return this.#closing;
  }

  /**
   * Sends a command to the master of `slot` (any node when `undefined`). When the slot's master is
   * known and node-redis would route the command there anyway (`sentToKeySlot`), straight to that
   * node's client: node-redis' cluster routing costs more than the command's own sending. A node
   * that answers with a redirection did not run the command: it goes through the cluster's own
   * routing then (`#routed`), which follows MOVED (refreshing the topology) and ASK, a moment later
   * for a TRYAGAIN.
   */
  async #toSlot(args: (string | Buffer)[], slot: number | undefined, signal: AbortSignal | undefined) {
    const master = slot === undefined ? undefined : this.#slotMaster(args, slot);
    if (master !== undefined) {
      try {
        const client = await this.#cluster.nodeClient(master);
        return await client.sendCommand(args, this.#slotOptions(slot!, signal));
      } catch (error) {
        const redirect = error instanceof Error ? clusterRedirect(error.message) : undefined;
        if (redirect === undefined) throw error;
        if (redirect.kind === 'tryagain') {
          if (this.#closing) throw error;
          await pause(TRYAGAIN_PAUSE_MS);
        }
      }
    }
    return this.#routed(args, slot, withSignal(SEND_OPTIONS, signal));
  }

  /** The master the driver sends `args` to itself, or `undefined` to leave it to node-redis' routing. */
  #slotMaster(args: (string | Buffer)[], slot: number): NodeRedisClusterNode | undefined {
    if (!this.#cluster.isReady || !sentToKeySlot(args[0])) return undefined;
    return this.#cluster.slots[slot]?.master;
  }

  /** The options of a command sent to its slot's master: one shared object per slot without a signal. */
  #slotOptions(slot: number, signal: AbortSignal | undefined): NodeRedisCommandOptions {
    if (signal) return { ...this.#direct, slotNumber: slot, abortSignal: signal };
    let options = this.#bySlot[slot];
    if (options === undefined) {
      options = Object.freeze({ ...this.#direct, slotNumber: slot });
      this.#bySlot[slot] = options;
    }
    return options;
  }

  /** Sends through the cluster's routing, again after a pause while the slot answers TRYAGAIN. */
  async #routed(
    args: (string | Buffer)[],
    slot: number | undefined,
    options: NodeRedisCommandOptions,
  ): Promise<unknown> {
    const key = slot === undefined ? undefined : slotName(slot);
    // node-redis sends PUBLISH (keyless to it) to a random node; core routes it by its channel so
    // that a channel's messages arrive in order: send it to that slot's master.
    if (key !== undefined && commandName(args) === 'PUBLISH') {
      return (await this.#cluster.getNodeClientForKey(key)).sendCommand(args, options);
    }
    const giveUpAt = Date.now() + MAX_TRYAGAIN_MS;
    for (;;) {
      try {
        return await this.#cluster.sendCommand(key, false, args, options);
      } catch (error) {
        // A TRYAGAIN changes nothing on the server; the driver's command timeout ends the wait.
        const again = error instanceof Error && error.message.startsWith('TRYAGAIN');
        if (!again || this.#closing || Date.now() > giveUpAt) throw error;
        await pause(TRYAGAIN_PAUSE_MS);
      }
    }
  }

  async #nodeClient(address: string) {
    const node = this.#cluster.nodeByAddress.get(address);
    if (!node) {
      throw new RedisConnectionError(
        `the redis cluster at ${this.#endpoint} has no node ${address} now (its masters: ${this.#cluster.masters.map((master) => master.address).join(', ')})`,
      );
    }
    return this.#cluster.nodeClient(node);
  }

  #whenReady<T>(start: () => Promise<T>): Promise<T> {
    const waiting = this.#gate.whenReady();
    if (waiting === undefined) return start();
    return waiting.then(() => {
      this.#refuseIfClosed();
      return start();
    });
  }

  /**
   * Runs `start` as one in-flight call: settles with its outcome (errors mapped), unless the
   * command timeout passes first (`RedisTimeoutError`), the driver closes (`RedisClosedError`) or
   * `signal` fires (`RedisAbortedError`).
   */
  #track<T>(signal: AbortSignal | undefined, start: () => Promise<T>): Promise<T> {
    return this.#calls.track(signal, start, this.#mapCallError);
  }

  #timeoutError(): RedisTimeoutError {
    return new RedisTimeoutError(
      `redis cluster at ${this.#endpoint}: no reply within ${this.#commandTimeoutMs} ms`,
      this.#commandTimeoutMs,
    );
  }

  #mapError(error: unknown): RedisError {
    return mapNodeRedisError(error, {
      endpoint: this.#endpoint,
      lastConnectionError: this.#gate.lastError,
      closed: this.#closing !== undefined,
    });
  }

  #refuseIfClosed(): void {
    this.#calls.assertOpen();
  }
}

/**
 * Puts a node-redis cluster the caller built under the driver port; closing the driver destroys
 * it. The cluster may be connected already or not. Give it `defaults: { RESP: 2 }` (or let the
 * driver fold RESP3 replies back), and see `clusterFailFastOptions` for fail-fast node settings;
 * `createNodeRedisClusterDriverFromNodes` builds a suitable one.
 *
 * ```ts
 * const cluster = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }], RESP: 2 });
 * await using redis = new RedisService(createNodeRedisClusterDriver(cluster));
 * ```
 */
export function createNodeRedisClusterDriver(
  cluster: NodeRedisCluster,
  options?: NodeRedisClusterDriverOptions,
): NodeRedisClusterDriver {
  return new NodeRedisClusterDriver(cluster, options);
}
