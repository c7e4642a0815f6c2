import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisService,
  RedisValidationError,
  type ServiceFactoryOptions,
  serviceOverDriver,
} from '@redis-service/core';
import { checkTimeout } from '@redis-service/core/adapter';
import { FetchTransport } from './fetch-transport.js';
import { UpstashSseSubscriber } from './sse-subscriber.js';
import { UpstashDriver } from './upstash-driver.js';

/** Options of `createUpstashDriverFromUrl`. */
export interface UpstashDriverFromUrlOptions {
  /**
   * The REST URL (`UPSTASH_REDIS_REST_URL`), `https://...` (or `http://` for a local endpoint).
   * A token may also ride in it as the password (`https://:TOKEN@host`); it is then taken out of
   * the URL and never shown.
   */
  readonly url: string;
  /** The REST token (`UPSTASH_REDIS_REST_TOKEN`). Required unless the URL carries it. */
  readonly token?: string;
  /** How long one request may take before it is aborted with `RedisTimeoutError` (ms). `0` disables it. Default 5000. */
  readonly commandTimeoutMs?: number;
  /**
   * How many times to try again when the endpoint cannot be reached at all (connection refused,
   * DNS failure), where the request surely was not sent. Default 0: fail fast, let the caller decide.
   */
  readonly retries?: number;
  /** The `fetch` to use (a runtime's own, or one with a custom dispatcher). Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * How long a pub/sub event stream may stay silent (no message, no keep-alive comment) before it
   * is replaced by a new one, make-before-break (ms; see `UpstashSseSubscriber`). A half-open
   * stream never ends by itself; this is how it is noticed. `0` never replaces a silent stream.
   * Default: `commandTimeoutMs`.
   */
  readonly subscriberIdleTimeoutMs?: number;
}

/**
 * Options of `createUpstashService`: the endpoint (`url`, `token`, timeout, `fetch`) and the
 * service's own options (`keyPrefix`, `maxInflight`, `failurePolicy`, `endpointId`; see
 * `RedisServiceOptions`). Core's `EndpointSpec` fits as it is (the token then comes from
 * `settings.token`), so the function can serve as a `RedisClients` factory:
 * `factories: { upstash: createUpstashService }`.
 */
export interface UpstashServiceOptions extends UpstashDriverFromUrlOptions, ServiceFactoryOptions {
  /** Adapter settings of an `EndpointSpec`: `token` (string) is read from here when `token` is not given. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * A driver that speaks the REST API with `fetch` (no Node API: edge runtimes work), without
 * @upstash/redis in the request path: it reads integers beyond 2^53 exactly, maps HTTP statuses
 * onto core's errors (401 -> `RedisAuthError`, 400 -> core's class for the server's message:
 * `RedisReplyError`, `RedisUnavailableError` or `RedisAuthError`, 5xx -> `RedisConnectionError`)
 * and never sends a command twice. A closed port fails at once.
 *
 * @throws RedisValidationError when the URL is not an http(s) URL or no token is given
 */
export function createUpstashDriverFromUrl(options: UpstashDriverFromUrlOptions): UpstashDriver {
  const { url, token } = checkEndpoint(options.url, options.token);
  const commandTimeoutMs = checkTimeout(
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    'commandTimeoutMs',
  );
  const retries = checkTimeout(options.retries ?? 0, 'retries');
  const transport = new FetchTransport({
    url,
    token,
    retries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const subscriber = new UpstashSseSubscriber({
    url,
    token,
    connectTimeoutMs: commandTimeoutMs,
    ...(options.subscriberIdleTimeoutMs === undefined
      ? {}
      : { idleTimeoutMs: checkTimeout(options.subscriberIdleTimeoutMs, 'subscriberIdleTimeoutMs') }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return new UpstashDriver(transport, { commandTimeoutMs, subscriber });
}

/**
 * A `RedisService` over Upstash's REST API (see `createUpstashDriverFromUrl`).
 *
 * ```ts
 * const redis = createUpstashService({
 *   url: env.UPSTASH_REDIS_REST_URL,
 *   token: env.UPSTASH_REDIS_REST_TOKEN,
 *   keyPrefix: 'app:',
 * });
 * await redis.set('greeting', 'hello');
 * ```
 *
 * `commandTimeoutMs` is both the service's deadline and the driver's per-request timeout.
 */
export function createUpstashService(options: UpstashServiceOptions): RedisService {
  const settingsToken = options.settings?.token;
  if (settingsToken !== undefined && typeof settingsToken !== 'string') {
    throw new RedisValidationError('settings.token must be a string');
  }
  const driver = createUpstashDriverFromUrl({ ...options, token: options.token ?? settingsToken });
  return serviceOverDriver(driver, options);
}

function checkEndpoint(url: unknown, token: unknown): { url: string; token: string } {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    // The parser's error carries the input, which may hold the token: it must not travel on.
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    const shown = parsed ? `a '${parsed.protocol}' URL` : 'a value that is not a URL';
    throw new RedisValidationError(`expected the Upstash REST URL (https://...), got ${shown}`);
  }
  const fromUrl = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const chosen = token ?? fromUrl;
  if (typeof chosen !== 'string' || chosen === '') {
    throw new RedisValidationError(
      'an Upstash REST token is required: pass `token` (UPSTASH_REDIS_REST_TOKEN) or `settings.token`',
    );
  }
  return { url: parsed.href.replace(/\/+$/, ''), token: chosen };
}
