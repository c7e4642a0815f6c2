import { RedisAbortedError, RedisError, RedisTimeoutError, redactText } from '@redis-service/core';
import {
  classifyServerError,
  connectionFailure,
  isAuthFailure,
  mapDriverError,
} from '@redis-service/core/adapter';
import {
  AbortError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ErrorReply,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

/** What `mapNodeRedisError` needs to know about the driver that saw the error. */
export interface NodeRedisErrorContext {
  /** Where the client connects, for messages, e.g. `127.0.0.1:6379`. Never carries credentials. */
  readonly endpoint: string;
  /**
   * node-redis' own command timeout (its `commandOptions.timeout`, which bounds the wait to be
   * written), reported on the `RedisTimeoutError` its `TimeoutError` becomes.
   */
  readonly writeTimeoutMs?: number | undefined;
  /** The last connection error the client emitted; explains node-redis' bare "client is closed". */
  readonly lastConnectionError?: Error | undefined;
  /** The driver was closed: whatever happened, the caller sees `RedisClosedError`. */
  readonly closed?: boolean;
  /**
   * The command was handed to a ready client, which writes it: a lost connection is then
   * `RedisConnectionLostError` (it may have run).
   */
  readonly written?: boolean;
}

/**
 * node-redis' error classes, also recognized by constructor name, so that a client built with
 * another copy of `@redis/client` than the adapter's is still understood.
 */
function is(error: Error, kind: abstract new (...args: never[]) => Error, ...names: string[]): boolean {
  return names.includes(error.constructor.name) || error instanceof kind;
}

/** Whether `error` is a server's error reply (node-redis' `ErrorReply`, `SimpleError` or `BlobError`). */
export function isReplyError(error: unknown): boolean {
  return error instanceof Error && is(error, ErrorReply, 'SimpleError', 'BlobError', 'ErrorReply');
}

/**
 * Maps anything node-redis rejects with onto core's error classes, so the same failure gives the
 * same class on every driver:
 *
 * - a server error reply (`ErrorReply`: `SimpleError`, `BlobError`) -> core's class for it
 *   (`classifyServerError`): `RedisReplyError` with the server's message verbatim,
 *   `RedisUnavailableError` for `LOADING`, `BUSY`, `READONLY`, `MASTERDOWN`, `CLUSTERDOWN`,
 *   `TRYAGAIN`, and `RedisAuthError` for `NOAUTH` (a client without the password a server
 *   requires sends no AUTH, so the first command meets it);
 * - node-redis' command `TimeoutError` and `SocketTimeoutError` -> `RedisTimeoutError`;
 * - `AbortError` (the command's AbortSignal fired) -> `RedisAbortedError`;
 * - refused, reset or lost connections (`ECONNREFUSED`, `SocketClosedUnexpectedlyError`),
 *   `ConnectionTimeoutError`, `ClientOfflineError`, `ClientClosedError` and `DisconnectsClientError`
 *   before our own close, and anything else -> `RedisConnectionError`, or `RedisConnectionLostError`
 *   when the command had been handed to a ready client (`context.written`);
 * - anything at all once the driver is closed -> `RedisClosedError`.
 *
 * Messages pass through `redactText`, so a URL with credentials is never printed; the node-redis
 * error is kept as `cause`.
 */
export function mapNodeRedisError(error: unknown, context: NodeRedisErrorContext): RedisError {
  const { endpoint } = context;
  return mapDriverError(
    error,
    {
      driver: 'node-redis',
      endpoint,
      closed: context.closed === true,
      written: context.written === true && !(error instanceof Error && neverWritten(error)),
    },
    (cause) => {
      if (isReplyError(cause)) return classifyServerError(cause.message, { endpoint, cause });
      if (is(cause, TimeoutError, 'TimeoutError', 'CommandTimeoutDuringMaintenanceError')) {
        const timeoutMs = context.writeTimeoutMs ?? 0;
        return new RedisTimeoutError(
          `redis at ${endpoint}: the command was not sent within node-redis' command timeout of ${timeoutMs} ms`,
          timeoutMs,
          { cause },
        );
      }
      if (is(cause, SocketTimeoutError, 'SocketTimeoutError', 'SocketTimeoutDuringMaintenanceError')) {
        const timeoutMs = Number(/(\d+)\s*ms/.exec(cause.message)?.[1] ?? 0);
        return new RedisTimeoutError(
          `redis at ${endpoint}: the socket was idle too long (${redactText(cause.message)})`,
          timeoutMs,
          { cause },
        );
      }
      if (is(cause, AbortError, 'AbortError')) {
        return new RedisAbortedError('the command was aborted before its reply arrived', { cause });
      }
      return connectionDetail(cause, context);
    },
  );
}

/** node-redis refused the command before writing it: the client was closed or offline. */
function neverWritten(error: Error): boolean {
  return (
    is(error, ClientClosedError, 'ClientClosedError') || is(error, ClientOfflineError, 'ClientOfflineError')
  );
}

function connectionDetail(error: Error, context: NodeRedisErrorContext): string {
  const lost = context.lastConnectionError?.message;
  if (
    is(error, ClientClosedError, 'ClientClosedError') ||
    is(error, DisconnectsClientError, 'DisconnectsClientError')
  ) {
    return lost === undefined ? 'the connection is closed' : `the connection is closed (${lost})`;
  }
  if (is(error, ClientOfflineError, 'ClientOfflineError')) {
    return lost === undefined ? 'the client is offline' : `the client is offline (${lost})`;
  }
  if (is(error, ConnectionTimeoutError, 'ConnectionTimeoutError')) return 'the connect attempt timed out';
  return error.message;
}

/**
 * Maps what a failed connect attempt reported (its `error` event, or `connect()` rejecting) to
 * `RedisConnectionError`. A server error here answered the handshake, not the caller's command, so
 * it is a connection failure too: `RedisAuthError` when it refused the credentials (`WRONGPASS` to
 * AUTH or HELLO).
 */
export function mapConnectError(error: unknown, endpoint: string): RedisError {
  if (error instanceof RedisError) return error;
  if (isReplyError(error) && isAuthFailure((error as Error).message)) {
    return classifyServerError((error as Error).message, { endpoint, cause: error });
  }
  let detail: string;
  if (!(error instanceof Error)) detail = String(error);
  else if (isReplyError(error)) detail = `the handshake failed: ${error.message}`;
  else if (is(error, ConnectionTimeoutError, 'ConnectionTimeoutError'))
    detail = 'the connect attempt timed out';
  else detail = error.message;
  return connectionFailure(endpoint, detail, error);
}
