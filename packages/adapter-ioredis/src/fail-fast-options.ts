import type { RedisOptions } from 'ioredis';

/** Default time to establish a connection (TCP, and TLS where used), in milliseconds. ioredis' own is 10 000. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;

/** The longest pause between two reconnect attempts, in milliseconds. */
export const MAX_RECONNECT_DELAY_MS = 400;

/** ioredis options the factories may not take from `clientOptions`: the service owns key prefixes. */
export type IoredisClientOptions = Omit<RedisOptions, 'keyPrefix'>;

/**
 * The ioredis options the factories use, chosen so that a dead endpoint fails a command within
 * milliseconds instead of ioredis' default minute and more, while a healthy one works from the first
 * command and a restarted one is reconnected to:
 *
 * - `protocol: 2` and `stringNumbers: true`: integers arrive as exact text, strings as bytes;
 * - `maxRetriesPerRequest: 0`: a command waiting for a connection fails as soon as one connection
 *   attempt fails (ECONNREFUSED on a closed port: a few ms), and a command in flight when the
 *   connection drops fails instead of being sent again (at most once, never twice);
 * - `enableOfflineQueue: true` (ioredis' default, kept on purpose): commands issued before the
 *   first connection is ready wait for it instead of failing with "Stream isn't writeable";
 * - `retryStrategy`: reconnect forever, 50 ms after a loss, doubling to at most 400 ms, so a
 *   restarted server is picked up quickly and a command sent during an outage fails within about
 *   `MAX_RECONNECT_DELAY_MS` plus one connect attempt;
 * - `connectTimeout`: a connect attempt that hangs (a black-holed host) is abandoned;
 * - `commandTimeout`: a server that accepts the connection but never answers fails the command
 *   with a timeout instead of a hang;
 * - `autoResendUnfulfilledCommands: false`: nothing is replayed after a reconnect.
 */
export function failFastOptions(settings: {
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
}): RedisOptions {
  return {
    protocol: 2,
    stringNumbers: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    retryStrategy: reconnectDelay,
    connectTimeout: settings.connectTimeoutMs,
    ...(settings.commandTimeoutMs > 0 ? { commandTimeout: settings.commandTimeoutMs } : {}),
    autoResendUnfulfilledCommands: false,
  };
}

/** Milliseconds before reconnect attempt `attempt` (1-based): 50, 100, 200, then 400 from then on. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** (attempt - 1), MAX_RECONNECT_DELAY_MS);
}
