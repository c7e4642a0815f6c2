import { abortedError } from '../errors/aborted-error.js';
import {
  RedisClosedError,
  type RedisError,
  RedisReplyError,
  RedisValidationError,
} from '../errors/redis-error.js';
import type { DedicatedConnection } from '../port/dedicated.js';
import type { RedisCommand, RedisReply } from '../port/reply.js';
import type { ServiceCore } from '../service/service-core.js';
import { type SharedSend, unblock } from './unblock.js';
import { withinDeadline } from './within-deadline.js';

/** Options of `BlockingRunner.run`. */
export interface BlockingRunOptions {
  /**
   * The command's own server-side timeout, in milliseconds (BLPOP's `timeout` argument, times
   * 1000); `0` when the command waits until a value arrives. The call's deadline is this plus the
   * service's `commandTimeoutMs` as a margin (none for `0`: then only `signal` or `close()` end it).
   */
  readonly timeoutMs: number;
  /** Ends the wait early (`CLIENT UNBLOCK`); see `BlockingRunner.run`. */
  readonly signal?: AbortSignal;
  /** Return bulk strings as `Uint8Array`. Needs the `binary` capability. */
  readonly binary?: boolean;
}

// How long closing the service gives each blocked command to be unblocked before its connection is dropped.
const CLOSE_UNBLOCK_BOUND_MS = 2000;

/** A blocking command in flight on a leased connection. */
class BlockedCall {
  /** Why the caller stopped waiting (abort or close), once it did. */
  interrupted: RedisError | undefined;
  unblocking: Promise<void> | undefined;

  constructor(
    readonly connection: DedicatedConnection,
    /** Resolves (never rejects) once the command's reply or error arrived. */
    readonly replied: Promise<unknown>,
  ) {}

  /** Stops waiting for `reason`: unblocks the command on the server, so its reply arrives now. */
  interrupt(reason: RedisError, send: SharedSend, boundMs: number): Promise<void> {
    this.interrupted ??= reason;
    this.unblocking ??= unblock(this.connection, this.replied, send, boundMs);
    return this.unblocking;
  }
}

/**
 * Runs blocking commands (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, ...) on the service's dedicated
 * connections, never on the shared one, so they never delay another caller. The one entry point
 * for typed blocking methods and raw blocking commands alike.
 */
export class BlockingRunner {
  readonly #core: ServiceCore;
  readonly #active = new Set<BlockedCall>();
  readonly #sendShared: SharedSend;

  constructor(core: ServiceCore) {
    this.#core = core;
    this.#sendShared = (command) => core.send(command, false);
  }

  /**
   * Runs one blocking command on a dedicated connection (waiting, first come first served, when
   * every one of `maxDedicatedConnections` is in use) and resolves with its normalized reply: an
   * element, or `null` when the server-side timeout passed.
   *
   * When `signal` fires, the wait ends with `CLIENT UNBLOCK` and the command's reply is still
   * read, so an element is never lost: if the reply carries one (it reached the command before
   * the unblock did), the call **resolves with it** although the caller aborted; otherwise it
   * rejects with `RedisAbortedError` and the element, if any comes later, stays in the list. Only
   * when the server does not confirm the unblock within the margin is the connection dropped.
   *
   * Rejects with `RedisCapabilityError` without the `blocking` capability, `RedisValidationError`
   * for a bad `timeoutMs`, `RedisTimeoutError` past the deadline (the connection is then dropped),
   * and `RedisClosedError` when the service closes (a reply that carried an element still resolves).
   */
  async run(command: RedisCommand, options: BlockingRunOptions): Promise<RedisReply> {
    const core = this.#core;
    core.require('blocking', 'a blocking command');
    const { timeoutMs, signal, binary = false } = options;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new RedisValidationError(
        `the blocking timeout must be a finite number >= 0, got ${String(timeoutMs)}`,
      );
    }
    if (binary) core.require('binary', 'reading a value as bytes');
    else core.refuseBytesUnlessBinary(command);
    if (core.executor.closed) throw new RedisClosedError(`${core.describe} is closed`);
    const lease = await core.dedicated.acquire(signal);
    const { connection } = lease;
    const margin = core.options.commandTimeoutMs;
    const deadlineMs = timeoutMs === 0 || margin === 0 ? 0 : timeoutMs + margin;
    const reply = withinDeadline(connection, deadlineMs, core.describe, () =>
      connection.send(command, binary ? { binary } : undefined),
    );
    const call = new BlockedCall(
      connection,
      reply.then(
        () => {},
        () => {},
      ),
    );
    this.#active.add(call);
    const onAbort = () => {
      void call.interrupt(
        abortedError(signal!, `${core.describe}: the caller aborted the blocking command`),
        this.#sendShared,
        margin > 0 ? margin : CLOSE_UNBLOCK_BOUND_MS,
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const settle = async (reusable: boolean) => {
      // The unblock must be over before the connection serves anyone else: a late CLIENT UNBLOCK
      // would end the next caller's wait.
      await call.unblocking;
      signal?.removeEventListener('abort', onAbort);
      this.#active.delete(call);
      lease.release(reusable);
    };
    let value: RedisReply;
    try {
      value = await reply;
    } catch (error) {
      // A server's error reply (WRONGTYPE, ...) leaves the connection in step; anything else does not.
      await settle(error instanceof RedisReplyError);
      throw call.interrupted ?? error;
    }
    await settle(true);
    if (value === null && call.interrupted) throw call.interrupted;
    return value;
  }

  /**
   * Ends every blocking command in flight with `RedisClosedError` (a reply that carried an element
   * still resolves), unblocking each on the server through `send` (the bare driver: the service's
   * executor is closed by then), so nothing is popped into a connection about to be dropped.
   */
  close(send: SharedSend): Promise<void> {
    const error = new RedisClosedError(`${this.#core.describe} was closed while a blocking command waited`);
    return Promise.all(
      [...this.#active].map((call) => call.interrupt(error, send, CLOSE_UNBLOCK_BOUND_MS)),
    ).then(() => {});
  }
}
