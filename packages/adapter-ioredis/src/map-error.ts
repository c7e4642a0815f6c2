import { type RedisError, RedisUnknownMasterError } from '@redis-service/core';
import {
  classifyServerError,
  isAuthFailure,
  mapDriverError,
  timeoutFailure,
} from '@redis-service/core/adapter';

/** What `mapIoredisError` needs to know about the driver that saw the error. */
export interface IoredisErrorContext {
  /** Where the client connects, for messages, e.g. `127.0.0.1:6379`. Never carries credentials. */
  readonly endpoint: string;
  /** The name of the command that failed (as sent), to tell its own reply error from a handshake's. */
  readonly command?: string;
  /** The client's `commandTimeout` in milliseconds, reported on `RedisTimeoutError`. */
  readonly commandTimeoutMs?: number | undefined;
  /** The last connection error the client emitted; explains ioredis' bare "max retries" error. */
  readonly lastConnectionError?: Error | undefined;
  /** The driver was closed: whatever happened, the caller sees `RedisClosedError`. */
  readonly closed?: boolean;
  /**
   * The command may have been written to the connection (the client was ready when it was sent, or
   * became ready while it waited): a lost connection is then `RedisConnectionLostError`.
   */
  readonly written?: boolean;
  /** The master name of a sentinel-managed client, for `RedisUnknownMasterError`. */
  readonly masterName?: string | undefined;
  /**
   * The error ended a pass over the sentinels in which every sentinel answered, and none named a
   * primary for `masterName` (the driver tells from ioredis' `sentinelError` events).
   */
  readonly noPrimaryNamed?: boolean;
}

// ioredis' own texts: a Command's commandTimeout, and the generic "the stream is gone" message.
const COMMAND_TIMED_OUT = 'Command timed out';
/** What ioredis rejects a command with when its connection closed under it. */
export const CONNECTION_CLOSED = 'Connection is closed.';
// ioredis' text for a pass over the sentinels that found no primary to connect to.
const SENTINEL_PASS_FAILED = 'All sentinels are unreachable';
// Commands ioredis sends on its own during the handshake; their arguments carry credentials.
const CREDENTIAL_COMMANDS = new Set(['auth', 'hello']);

/**
 * Maps anything ioredis rejects with onto core's error classes, so the same failure gives the same
 * class on every driver:
 *
 * - a server error reply to the command itself -> core's class for it (`classifyServerError`):
 *   `RedisReplyError` with the server's message verbatim, `RedisUnavailableError` for `LOADING`,
 *   `BUSY`, `READONLY`, `MASTERDOWN`, `CLUSTERDOWN`, `TRYAGAIN`, `RedisAuthError` for `NOAUTH`;
 * - ioredis' `Command timed out` (its `commandTimeout`) -> `RedisTimeoutError`;
 * - refused credentials, answering the handshake or explaining a lost connection (`NOAUTH` to the
 *   ready check, `WRONGPASS` to AUTH or HELLO) -> `RedisAuthError`;
 * - refused, reset or closed connections, `MaxRetriesPerRequestError`, `Stream isn't writeable`,
 *   `Connection is closed.`, another failed handshake and anything else ioredis throws ->
 *   `RedisConnectionError`, or `RedisConnectionLostError` when the command may have been written
 *   (`context.written`);
 * - sentinels that answered without naming a primary for `context.masterName`
 *   (`context.noPrimaryNamed`) -> `RedisUnknownMasterError`;
 * - anything at all once the driver is closed -> `RedisClosedError`.
 *
 * Messages pass through `redactText`, so a URL with credentials is never printed, and the ioredis
 * error is kept as `cause` (with the arguments of a failed AUTH/HELLO removed from it).
 */
export function mapIoredisError(error: unknown, context: IoredisErrorContext): RedisError {
  const { endpoint } = context;
  return mapDriverError(
    scrubCredentials(error),
    {
      driver: 'ioredis',
      endpoint,
      closed: context.closed === true,
      lastError: context.lastConnectionError,
      written: context.written === true,
    },
    (cause) => {
      if (isOwnReplyError(cause, context.command))
        return classifyServerError(cause.message, { endpoint, cause });
      if (cause.message === COMMAND_TIMED_OUT) {
        return timeoutFailure(endpoint, context.commandTimeoutMs ?? 0, cause);
      }
      // A handshake's reply (AUTH, HELLO, the INFO ready check), or the connection's last error,
      // that refused the credentials.
      for (const refusal of [cause, context.lastConnectionError]) {
        if (refusal?.name === 'ReplyError' && isAuthFailure(refusal.message)) {
          return classifyServerError(refusal.message, { endpoint, cause });
        }
      }
      if (context.noPrimaryNamed === true && context.masterName !== undefined) {
        return new RedisUnknownMasterError(
          context.masterName,
          `redis connection to ${endpoint} failed: the sentinels answered, but none names a primary for '${context.masterName}' (check the master name)`,
          { cause },
        );
      }
      return connectionDetail(cause, context);
    },
  );
}

/**
 * A reply error that answers the command we sent. ioredis tags a reply error with the command it
 * answered; one that answered another command (AUTH, HELLO, the INFO ready check) reached us only
 * because ioredis flushed its queue after a failed handshake, so it is a connection failure.
 */
function isOwnReplyError(error: Error, command: string | undefined): boolean {
  if (error.name !== 'ReplyError') return false;
  const answered = commandOf(error)?.name;
  if (typeof answered !== 'string' || command === undefined) return true;
  return answered.toLowerCase() === command.toLowerCase();
}

function connectionDetail(error: Error, context: IoredisErrorContext): string {
  const lost = context.lastConnectionError?.message;
  if (error.name === 'MaxRetriesPerRequestError') return lost ?? 'the connection was lost';
  if (error.message === CONNECTION_CLOSED) return lost === undefined ? 'the connection is closed' : lost;
  if (error.name === 'ReplyError') return `the handshake failed: ${error.message}`;
  if (error.message.startsWith(SENTINEL_PASS_FAILED)) {
    // ioredis says this also when it skipped every sentinel after failed connects to the primary.
    return `the sentinels named no primary that could be reached (${error.message})`;
  }
  return error.message;
}

function commandOf(error: Error): { name?: unknown; args?: unknown } | undefined {
  const command: unknown = (error as { command?: unknown }).command;
  return typeof command === 'object' && command !== null ? command : undefined;
}

/** ioredis attaches the failed command's arguments to its errors; AUTH and HELLO carry the password. */
function scrubCredentials(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const command = commandOf(error);
  if (typeof command?.name === 'string' && CREDENTIAL_COMMANDS.has(command.name.toLowerCase())) {
    (error as { command?: unknown }).command = { name: command.name, args: ['[redacted]'] };
  }
  return error;
}
