import {
  abortedError,
  type BatchItemResult,
  type BatchOptions,
  clusterRedirect,
  type DriverCapabilities,
  type DriverMessage,
  type DriverSubscription,
  evalWithFallback,
  type LuaScript,
  type RedisArg,
  RedisClosedError,
  type RedisCommand,
  RedisConnectionError,
  type RedisDriver,
  type RedisError,
  type RedisReply,
  routingSlot,
  type SendOptions,
  type SubscriptionTarget,
} from '@redis-service/core';
import { type Cluster, Command, type Redis } from 'ioredis';
import type { BatchReader } from './batch-results.js';
import { lastClusterError } from './cluster-errors.js';
import { ClusterGate } from './cluster-gate.js';
import { installMovedFix } from './cluster-moved-fix.js';
import { installClusterSlotsFix } from './cluster-slots-fix.js';
import { addressOf, clusterTransaction } from './cluster-transaction.js';
import { type EncodedCommand, encodeCommand } from './encode-command.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './fail-fast-options.js';
import { IoredisClusterSubscriber } from './ioredis-cluster-subscriber.js';
import { CONNECTION_CLOSED, mapIoredisError } from './map-error.js';
import { normalizeReply } from './normalize-reply.js';
import { readyMaster } from './ready-master.js';
import { resp2Shape } from './resp3-shapes.js';
import { checkMaxBatch, WriteCoalescer } from './write-coalescer.js';

const ABORTED = 'the command was aborted before its reply arrived';
/** Commands ioredis' cluster routing sends to its subscriber connections, never to a master's. */
const SUBSCRIBER_COMMANDS: ReadonlySet<string> = new Set([
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
]);
// A safety net only: 'end' normally follows within a tick of the sockets being destroyed.
const DISCONNECT_GRACE_MS = 3000;

/**
 * What the ioredis cluster driver can do. Blocking commands are not offered (they would hold a
 * node's shared connection); search needs the RediSearch coordinator, which a plain cluster lacks.
 * Sharded pub/sub depends on the client: see `IoredisClusterDriver`.
 */
export const IOREDIS_CLUSTER_CAPABILITIES: DriverCapabilities = Object.freeze({
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

/** Options of `createIoredisClusterDriver`. */
export interface IoredisClusterDriverOptions {
  /** The driver's name in messages and reports. Default `ioredis-cluster`. */
  readonly name?: string;
  /**
   * The longest a command waits for a cluster that is not ready (connecting, or reconnecting
   * after losing every node) before it fails with `RedisConnectionError`; a failed attempt fails
   * it at once. Default 2000.
   */
  readonly connectTimeoutMs?: number;
  /**
   * Coalesce the commands sent in the same tick into one socket write per node instead of one
   * write each, as `IoredisDriverOptions.coalesce` does on one node (see `WriteCoalescer`):
   * order is kept, and every command resolves with its own reply. Default `true`.
   */
  readonly coalesce?: boolean;
  /** The most commands one coalesced write to a node holds, however many are in flight. Default 128. */
  readonly maxBatch?: number;
}

interface Inflight {
  fail(error: Error): void;
}

/**
 * The driver port over an ioredis 6 `Cluster`. Core routes, the driver follows: each command goes
 * to the master of the hash slot core computed (`options.slot`). When the slot table names that
 * master and its connection is ready, the command is written to it directly (ioredis' per-command
 * cluster routing costs more than the rest of the driver), each node's commands of one tick in one
 * socket write (`WriteCoalescer`); a command the cluster refused without running it (MOVED, ASK,
 * TRYAGAIN) then goes to ioredis' routing, as does every command while the cluster or that master
 * is not ready. ioredis follows MOVED and ASK, retries TRYAGAIN briefly, fails CLUSTERDOWN at
 * once, and refreshes its slot table when told to look elsewhere; transactions run on their
 * slot's master and follow a redirection that refused them as a whole (see `clusterTransaction`). Replies are normalized and errors mapped
 * exactly as by `IoredisDriver` (same files): give the cluster `redisOptions` with `protocol: 2`
 * and `stringNumbers: true`, as `createIoredisClusterDriverFromNodes` does, for exact integers.
 *
 * Fail fast: ioredis would park a command sent before the cluster is ready for as long as it
 * keeps reconnecting (and cannot combine `enableOfflineQueue: false` with a cluster, ioredis
 * #581), so the driver puts its own readiness gate in front (`ClusterGate`): a command fails
 * with `RedisConnectionError` as soon as a connection attempt fails. A command to a slot whose
 * master died fails typed once ioredis gives up on it (its redirections, each bounded by the
 * node's `commandTimeout`), never later than core's command timeout, and ioredis picks up the
 * promoted replica by itself.
 *
 * Sharded pub/sub (`ssubscribe`, and `getOrCompute`'s waiter notices) needs ioredis' sharded
 * subscribers: the driver declares `shardedPubsub` only when the cluster was built with
 * `shardedSubscribers: true` (the factories set it).
 *
 * Closing the driver disconnects the cluster: the driver owns it from then on.
 */
export class IoredisClusterDriver implements RedisDriver {
  readonly name: string;
  readonly capabilities: DriverCapabilities;
  readonly #cluster: Cluster;
  readonly #endpoint: string;
  readonly #gate: ClusterGate;
  readonly #subscriber: IoredisClusterSubscriber;
  readonly #writes: WriteCoalescer | undefined;
  // Whether a command may go straight to its slot's master (see `send`): not when ioredis is told
  // to read from replicas, which only its own routing does.
  readonly #direct: boolean;
  readonly #inflight = new Set<Inflight>();
  readonly #send = this.send.bind(this);
  #closing: Promise<void> | undefined;

  /**
   * @param cluster an ioredis `Cluster`, connected or not; the driver disconnects it on `close()`
   */
  constructor(cluster: Cluster, options: IoredisClusterDriverOptions = {}) {
    this.name = options.name ?? 'ioredis-cluster';
    const maxBatch = checkMaxBatch(options.maxBatch);
    installClusterSlotsFix();
    installMovedFix(cluster);
    this.#cluster = cluster;
    this.#endpoint = describeSeeds(cluster);
    const sharded = (cluster.options as { shardedSubscribers?: boolean }).shardedSubscribers === true;
    this.capabilities = sharded
      ? IOREDIS_CLUSTER_CAPABILITIES
      : Object.freeze({ ...IOREDIS_CLUSTER_CAPABILITIES, shardedPubsub: false });
    this.#gate = new ClusterGate(cluster, {
      endpoint: this.#endpoint,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    });
    this.#subscriber = new IoredisClusterSubscriber(cluster, (error, command) =>
      this.#mapError(error, command),
    );
    this.#writes = options.coalesce === false ? undefined : new WriteCoalescer(maxBatch);
    this.#direct = (cluster.options.scaleReads ?? 'master') === 'master';
  }

  /** The ioredis cluster under this driver (for what the port does not cover). */
  get cluster(): Cluster {
    return this.#cluster;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Sends one command to the master of `options.slot` (computed from the command's keys when not
   * given; any master for a keyless command), or to `options.node` only.
   */
  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    let encoded: EncodedCommand;
    let slot: number | undefined;
    try {
      this.#refuseIfClosed();
      encoded = encodeCommand(command);
      slot = options?.node === undefined ? (options?.slot ?? routingSlot(command)) : undefined;
    } catch (error) {
      return Promise.reject(error);
    }
    const binary = options?.binary === true;
    const { name, args } = encoded;
    const node = options?.node;
    const signal = options?.signal;
    // The hot path: a ready cluster and no signal need no per-call tracking, which costs more
    // than the rest of the driver's work. close() still ends such a command at once: it destroys
    // every node's socket, so ioredis rejects what was written, and #mapError makes that (and
    // whatever else fails from then on) RedisClosedError.
    if (node === undefined && signal === undefined && this.#cluster.status === 'ready') {
      return this.#dispatch(name, args, slot, binary, true);
    }
    const start = (): Promise<RedisReply> =>
      node === undefined
        ? this.#dispatch(name, args, slot, binary, false)
        : this.#toNode(node, name, args).then((raw) => this.#read(name, raw, binary));
    return this.#track(name, signal, () => this.#whenReady(start));
  }

  /**
   * A transaction runs on the master of `options.slot` (core checked that every key is in it).
   * A plain pipeline is sent command by command (to `options.slot`, or each to its own), all in
   * the same tick, so ioredis writes them in order; each command keeps its own reply or error and
   * follows its own redirection.
   */
  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    let encoded: EncodedCommand[];
    try {
      this.#refuseIfClosed();
      encoded = commands.map(encodeCommand);
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded.length === 0) return Promise.resolve([]);
    const binary = options.binary === true;
    if (!options.transaction) {
      const sendOptions = {
        binary,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.slot === undefined ? {} : { slot: options.slot }),
      };
      return Promise.all(
        commands.map((command) =>
          this.send(command, sendOptions).then(
            (value): BatchItemResult => ({ ok: true, value }),
            (error: unknown): BatchItemResult => ({ ok: false, error: error as Error }),
          ),
        ),
      );
    }
    let slot: number | undefined;
    try {
      slot = options.slot ?? commands.map((command) => routingSlot(command)).find((own) => own !== undefined);
    } catch (error) {
      return Promise.reject(error);
    }
    const reader: BatchReader = {
      read: (name, raw) => this.#read(name, raw, binary),
      mapError: (error, name) => this.#mapError(error, name),
    };
    return this.#track('EXEC', options.signal, () =>
      this.#whenReady(() => clusterTransaction(this.#cluster, slot, encoded, reader)),
    );
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

  /** Subscribes through the cluster's subscriber connections (see `IoredisClusterSubscriber`). */
  subscribe(
    target: SubscriptionTarget,
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    try {
      this.#refuseIfClosed();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#whenReady(() => this.#subscriber.subscribe(target, onMessage));
  }

  /** The masters (`host:port`) in the cluster's slot table now. */
  masters(): Promise<readonly string[]> {
    try {
      this.#refuseIfClosed();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#whenReady(() => Promise.resolve(mastersOf(this.#cluster)));
  }

  /**
   * Closes the driver and disconnects the cluster. Commands in flight reject with
   * `RedisClosedError` at once, as do later ones. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closing) {
      const pending = [...this.#inflight];
      this.#inflight.clear();
      for (const entry of pending) entry.fail(this.#closedError(true));
      this.#gate.close();
      this.#subscriber.close();
      this.#writes?.flush();
      this.#closing = disconnectCluster(this.#cluster);
    }
    return this.#closing;
  }

  /**
   * Writes one command for `slot`: straight to the slot's master when the slot table names it and
   * its connection is ready, else through ioredis' cluster routing. A command written straight
   * that the cluster refused without running it (MOVED, ASK, TRYAGAIN; CLUSTERDOWN or a closed
   * connection where the cluster's own options retry those) goes to ioredis' routing then, which
   * follows the redirection as it would have; on MOVED the slot table is refreshed too. One
   * promise per command: this is the path every part of a split MGET takes.
   *
   * @param mapErrors map a failure here (the caller does not track the call itself)
   */
  #dispatch(
    name: string,
    args: (string | Buffer)[],
    slot: number | undefined,
    binary: boolean,
    mapErrors: boolean,
  ): Promise<RedisReply> {
    const master =
      slot !== undefined && this.#direct && !SUBSCRIBER_COMMANDS.has(name)
        ? readyMaster(this.#cluster, slot)
        : undefined;
    const writes = this.#writes;
    writes?.beforeWrite(name, master);
    const replied = (raw: unknown): RedisReply => {
      writes?.answered();
      return this.#read(name, raw, binary);
    };
    const failed = (error: unknown): never => {
      writes?.answered();
      throw mapErrors ? this.#mapError(error, name) : error;
    };
    const routedByCluster = (): Promise<RedisReply> =>
      (this.#cluster.sendCommand(routed(name, args, slot)) as Promise<unknown>).then(replied, failed);
    if (master === undefined) return routedByCluster();
    return (master.sendCommand(new Command(name, args, { replyEncoding: null })) as Promise<unknown>).then(
      replied,
      (error: unknown) => {
        if (!(error instanceof Error) || !this.#retriedByCluster(error)) return failed(error);
        if (error.message.startsWith('MOVED ')) this.#cluster.refreshSlotsCache();
        return routedByCluster();
      },
    );
  }

  #retriedByCluster(error: Error): boolean {
    if (clusterRedirect(error.message) !== undefined) return true;
    const options = this.#cluster.options;
    if (error.message.startsWith('CLUSTERDOWN')) return (options.retryDelayOnClusterDown ?? 0) > 0;
    return error.message === CONNECTION_CLOSED && (options.retryDelayOnFailover ?? 0) > 0;
  }

  #whenReady<T>(start: () => Promise<T>): Promise<T> {
    const waiting = this.#gate.whenReady();
    if (waiting === undefined) return start();
    return waiting.then(() => {
      this.#refuseIfClosed();
      return start();
    });
  }

  /** Sends to one node only: a master or replica connection of the cluster, by `host:port`. */
  #toNode(node: string, name: string, args: (string | Buffer)[]): Promise<unknown> {
    const redis: Redis | undefined = this.#cluster
      .nodes('all')
      .find((candidate) => addressOf(candidate) === node);
    if (!redis) {
      return Promise.reject(
        new RedisConnectionError(
          `the redis cluster at ${this.#endpoint} has no node ${node} now (its masters: ${mastersOf(this.#cluster).join(', ')})`,
        ),
      );
    }
    return redis.callBuffer(name, ...args);
  }

  /**
   * Runs `start` as one in-flight call: settles with its outcome (errors mapped), unless the
   * driver closes (`RedisClosedError`) or `signal` fires (`RedisAbortedError`) first.
   */
  #track<T>(command: string, signal: AbortSignal | undefined, start: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, ABORTED));
    return new Promise<T>((resolve, reject) => {
      let detach = () => {};
      const entry: Inflight = {
        fail: (error) => {
          this.#inflight.delete(entry);
          detach();
          reject(error);
        },
      };
      if (signal) {
        const onAbort = () => {
          if (this.#inflight.has(entry)) entry.fail(abortedError(signal, ABORTED));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.#inflight.add(entry);
      let running: Promise<T>;
      try {
        running = start();
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (value) => {
          if (!this.#inflight.delete(entry)) return;
          detach();
          resolve(value);
        },
        (error: unknown) => {
          if (this.#inflight.has(entry)) entry.fail(this.#mapError(error, command));
        },
      );
    });
  }

  #read(command: string, raw: unknown, binary: boolean): RedisReply {
    if (this.#closing) throw this.#closedError(true);
    const protocol = this.#cluster.options.redisOptions?.protocol;
    return normalizeReply(protocol === 3 ? resp2Shape(command, raw) : raw, binary);
  }

  #mapError(error: unknown, command: string): RedisError {
    return mapIoredisError(lastClusterError(error), {
      endpoint: this.#endpoint,
      command,
      commandTimeoutMs: this.#cluster.options.redisOptions?.commandTimeout,
      lastConnectionError: this.#gate.lastError,
      closed: this.#closing !== undefined,
    });
  }

  #refuseIfClosed(): void {
    if (this.#closing) throw this.#closedError(false);
  }

  #closedError(inFlight: boolean): RedisClosedError {
    return new RedisClosedError(
      inFlight
        ? `the ioredis cluster driver for ${this.#endpoint} was closed while the command was in flight`
        : `the ioredis cluster driver for ${this.#endpoint} is closed`,
    );
  }
}

/**
 * Puts an ioredis `Cluster` the caller built under the driver port; closing the driver
 * disconnects it. See `IoredisClusterDriver` for the options the cluster should have;
 * `createIoredisClusterDriverFromNodes` builds a suitable one.
 *
 * ```ts
 * const cluster = new Cluster([{ host: '127.0.0.1', port: 7000 }], {
 *   shardedSubscribers: true,
 *   redisOptions: { protocol: 2, stringNumbers: true },
 * });
 * await using redis = new RedisService(createIoredisClusterDriver(cluster));
 * ```
 */
export function createIoredisClusterDriver(
  cluster: Cluster,
  options?: IoredisClusterDriverOptions,
): IoredisClusterDriver {
  return new IoredisClusterDriver(cluster, options);
}

/**
 * An ioredis command routed to `slot`: ioredis reads a command's `slot` before working one out
 * from its own command table, so the slot core computed (from the generated table, modules'
 * commands included) is the one used; MOVED and ASK still re-route it. A keyless command gets
 * `null` (any node): ioredis would otherwise look for keys itself, and its key lookup on a
 * command with too few arguments (`GET` alone) writes an `undefined` argument that crashes the
 * connection's writer instead of letting the server answer "wrong number of arguments".
 */
function routed(name: string, args: (string | Buffer)[], slot: number | undefined): Command {
  const command = new Command(name, args, { replyEncoding: null });
  (command as unknown as { slot: number | null }).slot = slot ?? null;
  return command;
}

function mastersOf(cluster: Cluster): string[] {
  const owners = new Set<string>();
  for (const nodes of cluster.slots) if (nodes?.[0]) owners.add(nodes[0]);
  return [...owners].sort();
}

/** The seeds the cluster was given, for messages: never credentials. */
function describeSeeds(cluster: Cluster): string {
  const seeds = (cluster as unknown as { startupNodes?: unknown }).startupNodes;
  const list = Array.isArray(seeds) ? seeds : [];
  const shown = list.slice(0, 3).map((seed: unknown) => {
    if (typeof seed === 'number') return `127.0.0.1:${seed}`;
    if (typeof seed === 'string') {
      try {
        const url = new URL(seed.includes('://') ? seed : `redis://${seed}`);
        return `${url.hostname}:${url.port || 6379}`;
      } catch {
        return 'a seed';
      }
    }
    const { host, port } = (seed ?? {}) as { host?: unknown; port?: unknown };
    return `${typeof host === 'string' ? host : '127.0.0.1'}:${typeof port === 'number' || typeof port === 'string' ? port : 6379}`;
  });
  const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
  return `${shown.join(', ') || 'no seeds'}${more}`;
}

/** Disconnects at once and resolves when the cluster has ended (or after a grace period at most). */
function disconnectCluster(cluster: Cluster): Promise<void> {
  if (cluster.status === 'end') return Promise.resolve();
  // Between connection attempts (or before the first) no node is connected: ioredis has nothing to
  // close, so it never emits 'end'.
  const idle = cluster.status === 'reconnecting' || cluster.status === 'close' || cluster.status === 'wait';
  // Taken first: disconnect() empties the connection pool.
  const nodes = cluster.nodes('all');
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      cluster.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, DISCONNECT_GRACE_MS);
    timer.unref();
    cluster.once('end', done);
    cluster.disconnect();
    for (const node of nodes) {
      node.disconnect();
      // disconnect() half-closes and waits for the server to close its side, which a hung node
      // never does: drop the socket, so that ioredis rejects the commands written to it now.
      (node.stream as Redis['stream'] | undefined)?.destroy();
    }
    if (idle) done();
  });
}
