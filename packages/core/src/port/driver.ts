import type { DriverCapabilities } from './capabilities.js';
import type { DedicatedConnection } from './dedicated.js';
import type { BatchItemResult, RedisArg, RedisCommand, RedisReply, SendOptions } from './reply.js';

/** Options for a batch sent through the port. */
export interface BatchOptions {
  /** Send as MULTI/EXEC (atomic) instead of a plain pipeline. Requires the `transactions` capability. */
  readonly transaction: boolean;
  /** Return bulk strings as `Uint8Array`. */
  readonly binary?: boolean;
  /** The caller's own signal, when it gave one (see `SendOptions.signal`). */
  readonly signal?: AbortSignal;
  /**
   * For a cluster driver: the one hash slot of every key in the batch. Core checks that a
   * transaction keeps to one slot, and splits a pipeline into one batch per slot: the driver sends
   * those commands to that slot's master in order (following a redirection per command), so the
   * commands of one key still run in the order they were queued.
   */
  readonly slot?: number;
}

/** What a subscription listens to: channels, glob patterns, or shard channels (SSUBSCRIBE). */
export interface SubscriptionTarget {
  readonly channels?: readonly string[];
  readonly patterns?: readonly string[];
  /**
   * Shard channels (Redis 7 sharded pub/sub: SSUBSCRIBE / SPUBLISH), for drivers that declare
   * `shardedPubsub`. On a cluster each is served by the master of its slot.
   */
  readonly shardChannels?: readonly string[];
}

/** A Lua script: its source and the SHA-1 that EVALSHA names it by. Build one with `defineScript`. */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

/** A message delivered to a subscription. */
export interface DriverMessage {
  readonly channel: string;
  /** The pattern that matched, for pattern subscriptions. */
  readonly pattern?: string;
  /** Set when the message came from a shard channel (SSUBSCRIBE). */
  readonly sharded?: boolean;
  readonly message: string;
}

/** A live subscription held by a driver. */
export interface DriverSubscription {
  /** Stops delivery and releases what the subscription holds. */
  unsubscribe(): Promise<void>;
}

/**
 * The driver port: the small interface an adapter implements to put a Redis client under
 * `RedisService`. All logic (key prefixes, codecs, validation, limiting, timeouts) lives in core;
 * an adapter only maps its driver onto these calls and its errors onto core's error classes.
 *
 * Contract, checked by `@redis-service/conformance`:
 * - replies are normalized to `RedisReply` (see there), whatever the driver's protocol;
 * - a server error rejects with `RedisReplyError`, a lost or refused connection with
 *   `RedisConnectionError`, a driver-side timeout with `RedisTimeoutError`, use after close with
 *   `RedisClosedError`;
 * - a reply the driver cannot parse rejects with `RedisConnectionError` (the stream cannot be
 *   trusted after it), promptly, not at the command timeout;
 * - `batch` returns exactly one result per command, in order, and never drops one; when the
 *   connection is lost before every reply arrived it either rejects as a whole or gives each
 *   unanswered command a `RedisConnectionError`, never a value;
 * - calls made concurrently (`send`, `batch`, `evalScript`, none awaited before the next) run on
 *   the server in the order they were made: core's limiter hands out permits first in, first out,
 *   and callers rely on a write issued before a read being seen by it (a blocking command the
 *   driver runs on a connection of its own is outside this order);
 * - a transaction (`batch` with `transaction: true`) is one unit to other callers of the same
 *   driver: nothing they send meanwhile lands between its MULTI and EXEC;
 * - a command that times out gives back whatever the driver took for it (a pool slot, a place in
 *   a queue), and a reply that arrives after the timeout is consumed, not handed to a later command;
 * - `close()` releases every connection, socket and timer the driver holds (subscriptions and
 *   commands in flight included), so a process that closed its drivers can exit by itself.
 *
 * On a cluster (`capabilities.cluster`), the driver routes; core does the rest:
 * - `send` goes to the master of `options.slot` (any master when it is `undefined`), following
 *   MOVED and ASK; with `options.node`, to that node only. Core never hands it a command whose
 *   keys span slots, and splits multi-key commands itself;
 * - `batch` gets commands of one slot (`options.slot`): a transaction, or one slot's share of a
 *   pipeline, which core splits by slot and sends in parallel under one inflight permit;
 * - `masters()` lists the current masters, for SCAN and for callers that target nodes;
 * - a command to a slot whose master is down fails with a typed error (`RedisConnectionError`,
 *   or a `RedisReplyError` such as CLUSTERDOWN) rather than waiting, and the driver picks up the
 *   new master after a failover on its own.
 */
export interface RedisDriver {
  /** A short name for messages and reports, e.g. `ioredis`. */
  readonly name: string;
  /** What this driver can do. */
  readonly capabilities: DriverCapabilities;
  /** Sends one command (name first) and resolves with its normalized reply. */
  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply>;
  /**
   * Sends commands as one batch (pipeline or MULTI/EXEC) and resolves with one result per command.
   * Rejects as a whole only when the batch could not be sent or its replies could not be read.
   */
  batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]>;
  /**
   * Runs a Lua script: EVALSHA first, EVAL when the server answers NOSCRIPT. Adapters usually
   * delegate to core's `evalWithFallback(send, ...)` so the fallback is written once.
   */
  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply>;
  /**
   * Subscribes to channels or patterns (present when `capabilities.pubsub`); resolves once the
   * server confirmed every name. The driver owns the subscriber connection (a dedicated one where
   * the protocol needs it), shares it between subscriptions (core's `SubscriberRegistry` does the
   * reference counting), resubscribes after a reconnect, and stops calling `onMessage` once
   * `unsubscribe()` was called or the driver closed. `onMessage` must not throw; core buffers.
   * `unsubscribe()` is best effort, does not reject, and settles within the command timeout even
   * when the subscriber connection is dead.
   *
   * A subscriber connection receives nothing while no message is published, so a half-open one
   * (the peer gone without a FIN or RST) would go silent for good: the driver watches it (a PING
   * when it has been idle, core's `ConnectionKeepAlive`, or the server's keep-alive frames over
   * a stream) and replaces a connection that stops answering, resubscribing every name, within
   * about twice the command timeout.
   */
  subscribe?(
    target: SubscriptionTarget,
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription>;
  /**
   * The ids (`host:port`) of the cluster's masters as the driver sees them now, for `send` with
   * `options.node`. Present when `capabilities.cluster`.
   */
  masters?(): Promise<readonly string[]>;
  /**
   * Opens a connection of its own, outside the shared one (present when `capabilities.blocking`):
   * connected, with its `CLIENT ID` read, before it resolves. Core pools these (a bounded number
   * per service) for blocking commands and WATCH transactions, and closes them before it closes
   * the driver; see `DedicatedConnection` for what each must guarantee. Rejects with
   * `RedisConnectionError` / `RedisTimeoutError` when the connection cannot be opened, and with
   * `RedisClosedError` once the driver is closed.
   */
  openDedicated?(): Promise<DedicatedConnection>;

  /**
   * Drops the command connection and makes a new one (present where the driver holds one): the
   * socket is destroyed at once, so every command in flight on it rejects with
   * `RedisConnectionError` (never a late reply, never sent again), and the next command runs on a
   * fresh connection. Core calls it when the connection looks half-open: a command timed out and
   * a health-check PING got no answer either (see `RedisServiceOptions.healthCheckTimeoutMs`).
   * `reason` explains why, for the errors of the commands it fails. Does nothing once closed;
   * never throws. Subscriber connections are the driver's own to watch (see `subscribe`).
   */
  resetConnection?(reason: Error): void;
  /** Closes the connection(s). In-flight and later commands reject with `RedisClosedError`. Idempotent. */
  close(): Promise<void>;
}
