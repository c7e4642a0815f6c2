/** Where the bridge's Redis is and how to log in to it, read from a `redis://` URL. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
}

/** Reads `redis://[[user]:password@]host[:port][/db]`; TLS (`rediss://`) is not supported by the bridge. */
export function parseRedisUrl(redisUrl: string): RedisTarget {
  const url = new URL(redisUrl);
  if (url.protocol !== 'redis:') {
    throw new TypeError(`the REST bridge needs a redis:// URL, got ${url.protocol}//`);
  }
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new TypeError(`bad database number in the redis URL: ${dbText}`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port === '' ? 6379 : Number(url.port),
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    db,
  };
}
