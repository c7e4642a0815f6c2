import type {
  RedisClientOptions as GenericClientOptions,
  RedisFunctions,
  RedisModules,
  RedisScripts,
  RespVersions,
} from 'redis';

/** node-redis client options for either protocol. */
type RedisClientOptions = GenericClientOptions<RedisModules, RedisFunctions, RedisScripts, RespVersions>;

/** Default time to establish a connection (TCP, TLS and the handshake), in milliseconds. node-redis' own TCP bound is 5000. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;

/**
 * node-redis options the factories take from `clientOptions`. Not `url` (given on its own) and not
 * `keyPrefix`: the service prefixes keys itself.
 */
export type NodeRedisClientOptions = Omit<RedisClientOptions, 'url' | 'keyPrefix'>;

/**
 * The node-redis options the factories build a client with, chosen so that a dead endpoint fails
 * a command within milliseconds (node-redis' defaults retry forever, and `connect()` never settles
 * while they do), while a healthy one works from the first command and a restarted one is
 * reconnected to:
 *
 * - `RESP: 2`: the protocol whose replies are exact without guesswork (the driver folds RESP3 back
 *   all the same, should `clientOptions` ask for it);
 * - `socket.reconnectStrategy: false`: node-redis never retries on its own. A failed connect
 *   attempt rejects at once (ECONNREFUSED on a closed port: about a millisecond), a lost connection
 *   fails the commands on it, and the driver connects again lazily, on the next command, so a
 *   restarted server is reached by the first command after it is back;
 * - `socket.connectTimeout`: a TCP connect that hangs (a black-holed host) is abandoned;
 * - `disableOfflineQueue: true`: a command is never parked while the client is not connected;
 * - `commandOptions.timeout: undefined`: no node-redis timer per command (its timeout only covers
 *   the wait to be written); the driver's own command timeout covers the whole wait for the reply;
 * - `maintNotifications: 'disabled'`: Redis Enterprise maintenance hints need RESP3.
 *
 * `clientOptions` override these (and `socket` options are merged), except that the URL always
 * comes from `url`.
 */
export function failFastOptions(settings: {
  readonly url: string;
  readonly connectTimeoutMs: number;
  readonly clientOptions?: NodeRedisClientOptions | undefined;
}): RedisClientOptions {
  const { socket, commandOptions, ...rest } = settings.clientOptions ?? {};
  return {
    RESP: 2,
    disableOfflineQueue: true,
    maintNotifications: 'disabled',
    ...rest,
    url: settings.url,
    commandOptions: { ...commandOptions, timeout: commandOptions?.timeout },
    socket: {
      reconnectStrategy: false,
      ...(settings.connectTimeoutMs > 0 ? { connectTimeout: settings.connectTimeoutMs } : {}),
      ...socket,
    },
  };
}
