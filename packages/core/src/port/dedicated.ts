import { RedisReplyError } from '../errors/redis-error.js';
import type { BatchItemResult, RedisCommand, RedisReply } from './reply.js';

/** Options for one command sent on a dedicated connection. */
export interface DedicatedSendOptions {
  /** Return bulk strings as `Uint8Array`. Requires the `binary` capability. */
  readonly binary?: boolean;
}

/** Options for a batch sent on a dedicated connection. */
export interface DedicatedBatchOptions {
  /** Send as MULTI/EXEC instead of a plain pipeline. */
  readonly transaction: boolean;
  /** Return bulk strings as `Uint8Array`. */
  readonly binary?: boolean;
}

/**
 * One connection of its own, outside the driver's shared one, for what holds or changes the state
 * of a connection: blocking commands (BLPOP, ...), WATCH transactions, and later stream readers.
 * Core leases it to one caller at a time and never shares it while it is in use.
 *
 * Contract, checked by `@redis-service/conformance`:
 * - `send` and `batch` normalize replies and map errors exactly as the driver's own `send` and
 *   `batch` do; a nil EXEC (a WATCHed key changed) gives every command of the transaction the
 *   error `execNilError()` makes, so core can tell a conflict from a refused command;
 * - there is no driver-side command timeout: a blocking command may legitimately wait as long as
 *   its own server timeout says, and core enforces every deadline itself;
 * - the connection never reconnects: once lost it stays lost (`ended` resolves with the error),
 *   and every command in flight or sent later rejects with `RedisConnectionError`. A reconnect
 *   would silently change its client id and drop its WATCHes;
 * - `close()` destroys it at once (no QUIT: a blocked command would hold QUIT up); in-flight and
 *   later commands reject with `RedisClosedError`; idempotent.
 */
export interface DedicatedConnection {
  /** The server's id for this connection (`CLIENT ID`, read when it opened); `CLIENT UNBLOCK` names it. */
  readonly clientId: number;
  /** Sends one command and resolves with its normalized reply. */
  send(command: RedisCommand, options?: DedicatedSendOptions): Promise<RedisReply>;
  /** Sends a pipeline or MULTI/EXEC and resolves with one result per command, as `RedisDriver.batch`. */
  batch(commands: readonly RedisCommand[], options: DedicatedBatchOptions): Promise<BatchItemResult[]>;
  /**
   * Resolves once the connection is gone: with `undefined` after `close()`, with the error when it
   * was lost (the server closed it, the network failed). Never rejects.
   */
  readonly ended: Promise<Error | undefined>;
  /** Whether the connection is closed or lost. */
  readonly isClosed: boolean;
  /** Destroys the connection. Idempotent; resolves once it is closed. */
  close(): Promise<void>;
}

const EXEC_NIL_MESSAGE = 'EXECABORT the transaction was not run: EXEC returned nil (a watched key changed)';

/**
 * The error every command of a transaction gets when EXEC answers nil (a WATCHed key changed
 * since WATCH). Adapters use it so that core recognises a conflict (`isExecNil`) on any driver.
 */
export function execNilError(): RedisReplyError {
  return new RedisReplyError(EXEC_NIL_MESSAGE);
}

/** Whether `error` is the nil-EXEC error of `execNilError`. */
export function isExecNil(error: unknown): boolean {
  return error instanceof RedisReplyError && error.message === EXEC_NIL_MESSAGE;
}
