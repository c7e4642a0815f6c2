import {
  classifyServerError,
  isAuthFailure,
  RedisClosedError,
  RedisConnectionError,
  RedisConnectionLostError,
  RedisError,
  RedisTimeoutError,
  RedisUnknownMasterError,
  redactText,
} from '@redis-service/core';

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
const CONNECTION_CLOSED = 'Connection is closed.';
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
  if (error instanceof RedisError) return error;
  const cause = scrubCredentials(error);
  if (context.closed) {
    return new RedisClosedError(`the ioredis driver for ${context.endpoint} is closed`, { cause });
  }
  if (!(error instanceof Error)) {
    return new RedisConnectionError(
      `redis connection to ${context.endpoint} failed: ${redactText(String(error))}`,
      { cause },
    );
  }
  if (isOwnReplyError(error, context.command)) {
    return classifyServerError(error.message, { endpoint: context.endpoint, cause });
  }
  if (error.message === COMMAND_TIMED_OUT) {
    const timeoutMs = context.commandTimeoutMs ?? 0;
    return new RedisTimeoutError(`redis at ${context.endpoint}: no reply within ${timeoutMs} ms`, timeoutMs, {
      cause,
    });
  }
  const refusal = credentialRefusal(error, context.lastConnectionError);
  if (refusal !== undefined) return classifyServerError(refusal, { endpoint: context.endpoint, cause });
  if (context.noPrimaryNamed === true && context.masterName !== undefined) {
    return new RedisUnknownMasterError(
      context.masterName,
      `redis connection to ${context.endpoint} failed: the sentinels answered, but none names a primary for '${context.masterName}' (check the master name)`,
      { cause },
    );
  }
  const message = `redis connection to ${context.endpoint} failed: ${redactText(connectionDetail(error, context))}`;
  return context.written === true
    ? new RedisConnectionLostError(`${message} (after the command was sent: it may have run)`, { cause })
    : new RedisConnectionError(message, { cause });
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

/**
 * The server's refusal of the client's credentials behind a connection failure: a handshake reply
 * (AUTH, HELLO, the INFO ready check) or the last error the connection emitted.
 */
function credentialRefusal(error: Error, lastConnectionError: Error | undefined): string | undefined {
  for (const candidate of [error, lastConnectionError]) {
    if (candidate?.name === 'ReplyError' && isAuthFailure(candidate.message)) return candidate.message;
  }
  return undefined;
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
