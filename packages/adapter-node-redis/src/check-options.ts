import { checkRedisUrl } from '@redis-service/core/adapter';

export { checkTimeout } from '@redis-service/core/adapter';

const REDIS_PROTOCOLS = ['redis:', 'rediss:', 'unix:'];

/** Checks that `url` is a `redis://`, `rediss://` or `unix:` URL and returns it as text (see the toolkit's `checkRedisUrl`). */
export function checkUrl(url: string | URL): string {
  return checkRedisUrl(url, REDIS_PROTOCOLS);
}
