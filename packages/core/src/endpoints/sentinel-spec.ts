import { RedisValidationError } from '../errors/redis-error.js';

/**
 * One sentinel to ask for the primary: a `redis://host[:port]` URL (`rediss://` for TLS to the
 * sentinel), or `{ host, port }`. The port defaults to 26379, the sentinels' own. Credentials do
 * not go in the URL: the sentinel factories take `sentinelUsername` and `sentinelPassword`.
 */
export type SentinelSpec = string | URL | { readonly host: string; readonly port?: number };

/**
 * What every sentinel factory takes (`createIoredisSentinelService`, `createNodeRedisSentinelService`),
 * besides its driver's own options: where the sentinels are, the master name, and how to log in to
 * the sentinels and to the data nodes. `Tls` is Node's `tls.ConnectionOptions` (`ca`, `cert`, `key`,
 * `servername`); `true` means TLS with the system's CAs.
 */
export interface SentinelFactoryOptions<Tls = unknown> {
  /** The sentinels to ask for the primary (at least one; the drivers learn the others from them). */
  readonly sentinels: readonly SentinelSpec[];
  /** The name the sentinels monitor the primary under (`sentinel monitor <name> ...`). */
  readonly masterName: string;
  /** How long a command may wait for its reply, finding the primary included (ms). `0` disables it. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How long a connection attempt (to a sentinel or a data node) may take (ms). Default 2000. */
  readonly connectTimeoutMs?: number;
  /** The ACL user to log in to the sentinels as. */
  readonly sentinelUsername?: string;
  /** The sentinels' password (`requirepass` in their config, or the ACL user's). Never printed. */
  readonly sentinelPassword?: string;
  /** TLS to the sentinels: `true` or TLS options. `rediss://` sentinel URLs turn it on. */
  readonly sentinelTls?: boolean | Tls;
  /** The ACL user to log in to the primary as. */
  readonly username?: string;
  /** The password of the primary (and its replicas). Never printed. */
  readonly password?: string;
  /** The database to select on the primary. Default 0. */
  readonly db?: number;
  /** TLS to the primary: `true` or TLS options. */
  readonly tls?: boolean | Tls;
}

/** A sentinel as the drivers connect to it. */
export interface SentinelNode {
  readonly host: string;
  readonly port: number;
}

/** What `parseSentinels` found. */
export interface ParsedSentinels {
  readonly nodes: readonly SentinelNode[];
  /** Every sentinel was given as a `rediss://` URL: connect to them over TLS. */
  readonly tls: boolean;
  readonly masterName: string;
}

/** The port sentinels listen on unless told otherwise. */
export const DEFAULT_SENTINEL_PORT = 26379;

/**
 * Checks the sentinel list, master name and database of a sentinel factory before anything
 * connects, so that a typo fails at once with a `RedisValidationError` instead of as a connection
 * error later: at least one sentinel, each a `redis://` or `rediss://` URL or `{ host, port }` with
 * a port in 1-65535, no credentials or path in a URL, not a mix of `redis://` and `rediss://`, a
 * non-empty master name, and a `db` that is an integer >= 0. Messages never quote a URL (it may
 * hide a password).
 */
export function parseSentinels(
  options: Pick<SentinelFactoryOptions, 'sentinels' | 'masterName' | 'db'>,
): ParsedSentinels {
  const { sentinels, masterName, db } = options;
  if (db !== undefined && (!Number.isSafeInteger(db) || db < 0)) {
    throw new RedisValidationError(`db must be an integer >= 0, got ${String(db)}`);
  }
  if (typeof masterName !== 'string' || masterName.length === 0) {
    throw new RedisValidationError(
      'masterName must be a non-empty string (the name in `sentinel monitor <name> ...`)',
    );
  }
  if (!Array.isArray(sentinels) || sentinels.length === 0) {
    throw new RedisValidationError('sentinels must be a non-empty array of redis:// URLs or { host, port }');
  }
  const schemes = new Set<string>();
  const nodes = sentinels.map((spec: SentinelSpec, index) => {
    if (typeof spec === 'string' || spec instanceof URL) {
      const { node, scheme } = parseSentinelUrl(spec, index);
      schemes.add(scheme);
      return node;
    }
    if (
      typeof spec !== 'object' ||
      spec === null ||
      typeof spec.host !== 'string' ||
      spec.host.length === 0
    ) {
      throw new RedisValidationError(
        `sentinels[${index}] must be a redis:// URL or { host, port } with a host`,
      );
    }
    schemes.add('redis:');
    return { host: spec.host, port: checkPort(spec.port ?? DEFAULT_SENTINEL_PORT, index) };
  });
  if (schemes.size > 1) {
    throw new RedisValidationError(
      'sentinels mixes redis:// and rediss://: TLS is one setting for every sentinel',
    );
  }
  return { nodes, tls: schemes.has('rediss:'), masterName };
}

function parseSentinelUrl(spec: string | URL, index: number): { node: SentinelNode; scheme: string } {
  let url: URL;
  try {
    url = spec instanceof URL ? spec : new URL(spec);
  } catch {
    // The parser's error quotes the input, which may hold a password.
    throw new RedisValidationError(`sentinels[${index}] is not a URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisValidationError(
      `sentinels[${index}] must be a redis:// or rediss:// URL, got a '${url.protocol}' URL`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new RedisValidationError(
      `sentinels[${index}] has credentials in its URL: pass sentinelUsername and sentinelPassword instead`,
    );
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '') {
    throw new RedisValidationError(
      `sentinels[${index}] must be only a host and port, without a path or query`,
    );
  }
  if (url.hostname === '') throw new RedisValidationError(`sentinels[${index}] has no host`);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? DEFAULT_SENTINEL_PORT : Number(url.port);
  return { node: { host, port: checkPort(port, index) }, scheme: url.protocol };
}

function checkPort(port: unknown, index: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RedisValidationError(`sentinels[${index}] needs a port from 1 to 65535, got ${String(port)}`);
  }
  return port;
}
