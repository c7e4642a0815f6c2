import type { TypeMapping } from 'redis';

/** The per-command options of node-redis' `sendCommand` the driver uses. */
export interface NodeRedisCommandOptions {
  /** How each RESP type is decoded; replaces the client's own mapping for this command. */
  readonly typeMapping?: TypeMapping;
  /** Commands with the same chain id are written together and never resent half on another connection. */
  readonly chainId?: symbol;
  /** Removes the command from node-redis' queue when it fires before the command is written. */
  readonly abortSignal?: AbortSignal;
  /** node-redis' own timeout (ms) for the wait to be written; `undefined`: none. Replaces the client's. */
  readonly timeout?: number | undefined;
  /**
   * The command's hash slot, on a cluster node's client: node-redis moves the queued commands of
   * a slot to its new node when the cluster announces a slot migration (SMIGRATED).
   */
  readonly slotNumber?: number;
}

/**
 * The part of a node-redis client (`createClient()` from `redis` 6) the driver uses. Any
 * `RedisClientType`, whatever its modules, scripts, protocol or type mapping, fits.
 */
export interface NodeRedisClient {
  /** The socket is open: connected, connecting or reconnecting. */
  readonly isOpen: boolean;
  /** The connection is up and its handshake done: commands are written at once. */
  readonly isReady: boolean;
  /** The options the client was built with (node-redis folds the URL into `socket`). */
  readonly options?:
    | {
        readonly url?: string | undefined;
        readonly socket?: unknown;
        readonly commandOptions?: { readonly timeout?: number | undefined } | undefined;
      }
    | undefined;
  sendCommand(args: readonly (string | Buffer)[], options?: NodeRedisCommandOptions): Promise<unknown>;
  /** `SELECT` through node-redis, which then selects the database again after a reconnect. */
  select(db: number): Promise<unknown>;
  connect(): Promise<unknown>;
  destroy(): void;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  on(event: 'error' | 'ready' | 'connect', listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any arguments.
  off(event: 'error' | 'ready' | 'connect', listener: (...args: any[]) => void): unknown;
}

/** `host:port` (or the socket path) the client connects to, for messages: never the credentials. */
export function describeEndpoint(client: NodeRedisClient): string {
  const socket = (client.options?.socket ?? {}) as { path?: unknown; host?: unknown; port?: unknown };
  if (typeof socket.path === 'string' && socket.path.length > 0) return socket.path;
  const host = typeof socket.host === 'string' && socket.host.length > 0 ? socket.host : 'localhost';
  const port = typeof socket.port === 'number' ? socket.port : 6379;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** node-redis' DEFAULT_COMMAND_TIMEOUT, applied when `commandOptions.timeout` is not given at all. */
export const NODE_REDIS_DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/** node-redis' own per-command timeout for this client (it bounds the wait to be written), in ms. */
export function nodeRedisCommandTimeout(client: NodeRedisClient): number | undefined {
  const commandOptions = client.options?.commandOptions;
  return commandOptions !== undefined && 'timeout' in commandOptions
    ? commandOptions.timeout
    : NODE_REDIS_DEFAULT_COMMAND_TIMEOUT_MS;
}
