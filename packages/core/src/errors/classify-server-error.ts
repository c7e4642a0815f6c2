import { redactText } from '../util/redact.js';
import {
  RedisAuthError,
  type RedisErrorOptions,
  RedisReplyError,
  RedisUnavailableError,
} from './redis-error.js';

/**
 * The first words of server errors that mean "not available right now": the command did not run,
 * and the same command may work later or on another node. See `RedisUnavailableError`.
 */
const UNAVAILABLE_PREFIXES: ReadonlySet<string> = new Set([
  'LOADING',
  'BUSY',
  'READONLY',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'TRYAGAIN',
  // Writes refused while the state lasts (too few replicas for `min-replicas-to-write`, a failing
  // RDB save with `stop-writes-on-bgsave-error`): the write did not run, reads still work.
  'NOREPLICAS',
  'MISCONF',
]);

/** The first words of server errors that refuse the client's credentials. See `RedisAuthError`. */
const AUTH_PREFIXES: ReadonlySet<string> = new Set(['NOAUTH', 'WRONGPASS']);

// Servers before Redis 6 answer a bad password with a plain ERR.
const LEGACY_AUTH_FAILURE = /^ERR invalid (username-)?password\b/;

/** What `classifyServerError` puts into the errors it builds. */
export interface ServerErrorContext extends RedisErrorOptions {
  /**
   * Where the server is (`host:port`, a REST URL: never credentials), for the message of a
   * `RedisAuthError`. A reply error keeps the server's text verbatim and does not name it.
   */
  readonly endpoint?: string;
}

/**
 * The one place a server's error text becomes an error class, so that the same server state
 * gives the same class on every driver (adapters call it for every error reply they see, to the
 * command itself or to their handshake):
 *
 * | the server says                                        | class                                          |
 * | ------------------------------------------------------ | ---------------------------------------------- |
 * | `NOAUTH`, `WRONGPASS`, `ERR invalid password`          | `RedisAuthError` (a `RedisConnectionError`)    |
 * | `LOADING`, `BUSY`, `READONLY`, `MASTERDOWN`,           | `RedisUnavailableError` (a `RedisReplyError`)  |
 * | `CLUSTERDOWN`, `TRYAGAIN`, `NOREPLICAS`, `MISCONF`     |                                                |
 * | anything else (`ERR`, `WRONGTYPE`, `OOM`, `NOSCRIPT`)  | `RedisReplyError`                              |
 *
 * Only the first word counts (`BUSYKEY` and `BUSYGROUP` are ordinary reply errors). A reply
 * error keeps the server's message verbatim; an auth error says where and why, through
 * `redactText`.
 */
export function classifyServerError(
  message: string,
  context: ServerErrorContext = {},
): RedisReplyError | RedisAuthError {
  const options = context.cause === undefined ? undefined : { cause: context.cause };
  if (isAuthFailure(message)) {
    const where = context.endpoint === undefined ? 'redis' : `redis at ${context.endpoint}`;
    return new RedisAuthError(
      `${where} refused the credentials: ${redactText(message)} (check the password, user or token)`,
      options,
    );
  }
  if (UNAVAILABLE_PREFIXES.has(firstWord(message))) return new RedisUnavailableError(message, options);
  return new RedisReplyError(message, options);
}

/** Whether a server's error text refuses the client's credentials (see `classifyServerError`). */
export function isAuthFailure(message: string): boolean {
  return AUTH_PREFIXES.has(firstWord(message)) || LEGACY_AUTH_FAILURE.test(message);
}

function firstWord(message: string): string {
  const space = message.indexOf(' ');
  return space === -1 ? message : message.slice(0, space);
}
