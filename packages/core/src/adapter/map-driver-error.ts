import { classifyServerError, isAuthFailure } from '../errors/classify-server-error.js';
import {
  RedisClosedError,
  RedisConnectionError,
  RedisConnectionLostError,
  RedisError,
  RedisTimeoutError,
} from '../errors/redis-error.js';
import { redactText } from '../util/redact.js';

/** What `mapDriverError` needs to know about the driver that saw the error. */
export interface DriverErrorContext {
  /** The driver's name, for messages, e.g. `ioredis`. */
  readonly driver: string;
  /** Where the client connects, for messages, e.g. `127.0.0.1:6379`. Never carries credentials. */
  readonly endpoint: string;
  /** The driver was closed: whatever happened, the caller sees `RedisClosedError`. */
  readonly closed?: boolean;
  /**
   * The last error the client reported about its connection (its `error` event), if it has not
   * been ready since: a refusal of the credentials there (`NOAUTH`, `WRONGPASS`) makes a failure
   * `classify` leaves to the connection a `RedisAuthError`, since clients tend to report a failed
   * handshake to the commands waiting for it as a plain closed connection.
   */
  readonly lastError?: Error | undefined;
  /**
   * The command may have been written to the connection (the client was ready when it was sent):
   * a connection failure is then `RedisConnectionLostError` (`... (after the command was sent: it
   * may have run)`), so a caller never takes a write that may have been applied for one that was
   * not sent.
   */
  readonly written?: boolean;
}

/**
 * What an adapter knows about one of its client's errors: a `RedisError` for what it recognises
 * (a server's error reply answering the command, through `classifyServerError`; its client's
 * timeout as `RedisTimeoutError`; an abort as `RedisAbortedError`), a string saying what failed on
 * the connection, or `undefined` to use the error's own message for that.
 */
export type ClassifyDriverError = (error: Error) => RedisError | string | undefined;

/**
 * The frame every adapter's error mapping shares, so that the same failure gives the same class
 * on every driver:
 *
 * - a `RedisError` is passed through as it is;
 * - anything once the driver is closed -> `RedisClosedError` (`the <driver> driver for <endpoint>
 *   is closed`), the original kept as `cause`;
 * - an `Error` -> what `classify` makes of it, else `RedisAuthError` when the client's `lastError`
 *   refused the credentials;
 * - everything else (a thrown non-`Error`, and whatever `classify` leaves as a connection failure)
 *   -> `RedisConnectionError` (`redis connection to <endpoint> failed: <detail>`), or
 *   `RedisConnectionLostError` when the command may have been written (`context.written`).
 *
 * Messages pass through `redactText`, so a URL with credentials is never printed.
 *
 * ```ts
 * mapDriverError(error, { driver: 'my-driver', endpoint, closed }, (error) =>
 *   error.name === 'ReplyError' ? classifyServerError(error.message, { endpoint, cause: error }) : undefined,
 * );
 * ```
 */
export function mapDriverError(
  error: unknown,
  context: DriverErrorContext,
  classify?: ClassifyDriverError,
): RedisError {
  if (error instanceof RedisError) return error;
  if (context.closed) {
    return new RedisClosedError(`the ${context.driver} driver for ${context.endpoint} is closed`, {
      cause: error,
    });
  }
  if (!(error instanceof Error)) return failure(context, String(error), error);
  const known = classify?.(error);
  if (known instanceof RedisError) return known;
  const last = context.lastError?.message;
  if (last !== undefined && isAuthFailure(last)) {
    return classifyServerError(last, { endpoint: context.endpoint, cause: error });
  }
  return failure(context, known ?? error.message, error);
}

function failure(context: DriverErrorContext, detail: string, cause: unknown): RedisConnectionError {
  return context.written === true
    ? connectionLostFailure(context.endpoint, detail, cause)
    : connectionFailure(context.endpoint, detail, cause);
}

/**
 * `RedisConnectionLostError`: `redis connection to <endpoint> failed: <detail> (after the command
 * was sent: it may have run)`, the detail redacted: for a connection that failed once the command
 * may have been written.
 */
export function connectionLostFailure(
  endpoint: string,
  detail: string,
  cause?: unknown,
): RedisConnectionLostError {
  return new RedisConnectionLostError(
    `redis connection to ${endpoint} failed: ${redactText(detail)} (after the command was sent: it may have run)`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * `RedisConnectionError`: `redis connection to <endpoint> failed: <detail>`, the detail redacted.
 */
export function connectionFailure(endpoint: string, detail: string, cause?: unknown): RedisConnectionError {
  return new RedisConnectionError(
    `redis connection to ${endpoint} failed: ${redactText(detail)}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * `RedisTimeoutError`: `redis at <endpoint>: no reply within <timeoutMs> ms`, for the client's own
 * command timeout (or the driver's), so a timeout reads the same from every adapter.
 */
export function timeoutFailure(endpoint: string, timeoutMs: number, cause?: unknown): RedisTimeoutError {
  return new RedisTimeoutError(
    `redis at ${endpoint}: no reply within ${timeoutMs} ms`,
    timeoutMs,
    cause === undefined ? undefined : { cause },
  );
}
