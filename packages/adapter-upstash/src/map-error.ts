import {
  classifyServerError,
  RedisAbortedError,
  RedisAuthError,
  RedisConnectionError,
  RedisError,
  type RedisReplyError,
  RedisTimeoutError,
  redactText,
} from '@redis-service/core';

/**
 * The token was refused (HTTP 401, or @upstash/redis' `Unauthorized`). A `RedisAuthError` (a
 * connection-level failure, not a reply): no command ran, and retrying will not help. The token
 * never appears in the message.
 */
export function unauthorizedError(endpoint: string, detail: string, cause?: unknown): RedisAuthError {
  return new RedisAuthError(
    `the Upstash REST endpoint ${endpoint} refused the request as unauthorized (${detail}): check the token`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The service's `{ error }` text as core's class for it (`classifyServerError`): a
 * `RedisReplyError` with the message verbatim, a `RedisUnavailableError` for a server that cannot
 * serve commands right now (`LOADING`, `BUSY`, `READONLY`, ...), a `RedisAuthError` for refused
 * credentials (`NOAUTH`, `WRONGPASS`).
 */
export function serverError(
  endpoint: string,
  message: string,
  cause?: unknown,
): RedisReplyError | RedisAuthError {
  return classifyServerError(message, { endpoint, ...(cause === undefined ? {} : { cause }) });
}

/** `fetch` failed before a response arrived (refused, reset, DNS, TLS) or while reading its body. */
export function unreachableError(endpoint: string, error: unknown): RedisConnectionError {
  return new RedisConnectionError(
    `cannot reach the Upstash REST endpoint ${endpoint}: ${redactText(networkDetail(error))}`,
    { cause: error },
  );
}

/**
 * The response could not be read as the REST protocol (not JSON, wrong shape). As the port says
 * of any reply a driver cannot parse, this is a `RedisConnectionError`: the endpoint (or whatever
 * answered in its place) cannot be trusted for that request.
 */
export function unreadableError(endpoint: string, detail: string, cause?: unknown): RedisConnectionError {
  return new RedisConnectionError(
    `the Upstash REST endpoint ${endpoint} sent a response that cannot be read: ${redactText(detail)}`,
    cause === undefined ? undefined : { cause },
  );
}

/** What @upstash/redis appends to the `{ error }` of a non-2xx response. */
const COMMAND_WAS = ', command was: ';

/** What `mapUpstashClientError` needs to know. */
export interface UpstashClientErrorContext {
  /** Where the client posts, for messages. */
  readonly endpoint: string;
  /** `JSON.stringify` of the request body, which the client appends to HTTP error messages. */
  readonly body: string;
}

/**
 * Maps what an @upstash/redis client (its `HttpClient`) throws onto core's classes. The client
 * hides the HTTP status: a non-2xx response becomes `UpstashError("<error>, command was: <body>")`.
 * So:
 *
 * - `Unauthorized` (the service's 401 text) or a `WRONGPASS`/`NOAUTH` message -> `RedisAuthError`;
 * - any other `{ error }` -> core's class for the server's text (`classifyServerError`:
 *   `RedisReplyError` with the message verbatim, `RedisUnavailableError` for `LOADING`, `BUSY`,
 *   `READONLY`, ...); the `, command was: ...` suffix, which would repeat the arguments, is removed;
 * - `UpstashJSONParseError` (a body that is not JSON) -> `RedisSerializationError`;
 * - a `fetch` failure (`TypeError: fetch failed`, or the client's "Exhausted all retries") ->
 *   `RedisConnectionError`; a `TimeoutError`/`AbortError` from a signal of the client's own config ->
 *   `RedisTimeoutError`/`RedisAbortedError`.
 *
 * A 5xx answered with a JSON `{ error }` cannot be told from a 400 this way and comes out as a
 * `RedisReplyError`; the driver's own transport (`createUpstashDriverFromUrl`) sees the status.
 */
export function mapUpstashClientError(error: unknown, context: UpstashClientErrorContext): RedisError {
  if (error instanceof RedisError) return error;
  if (!(error instanceof Error)) return unreachableError(context.endpoint, error);
  switch (error.name) {
    case 'UpstashError': {
      const message = serverMessage(error.message, context.body);
      if (/^unauthorized$/i.test(message.trim())) return unauthorizedError(context.endpoint, message, error);
      if (message === 'undefined' || message === '') {
        return unreadableError(context.endpoint, 'an HTTP error without an error message', error);
      }
      return serverError(context.endpoint, message, error);
    }
    case 'UpstashJSONParseError':
      return unreadableError(context.endpoint, 'the body is not JSON', error);
    case 'TimeoutError':
      return new RedisTimeoutError(
        `the request to ${context.endpoint} timed out (the client's own signal)`,
        0,
        {
          cause: error,
        },
      );
    case 'AbortError':
      return new RedisAbortedError(
        `the request to ${context.endpoint} was aborted (the client's own signal)`,
        {
          cause: error,
        },
      );
    default:
      return unreachableError(context.endpoint, error);
  }
}

/** The service's message without the client's `, command was: <body>` suffix. */
function serverMessage(message: string, body: string): string {
  const suffix = COMMAND_WAS + body;
  if (message.endsWith(suffix)) return message.slice(0, -suffix.length);
  const at = message.lastIndexOf(COMMAND_WAS);
  return at === -1 ? message : message.slice(0, at);
}

function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ...) is in the cause.
  if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
