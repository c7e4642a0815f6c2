import { RedisValidationError } from '@redis-service/core';

const REDIS_PROTOCOLS = new Set(['redis:', 'rediss:', 'unix:']);

/**
 * Checks that `url` is a `redis://`, `rediss://` or `unix:` URL and returns it as text. The error
 * names only the scheme: a malformed URL may hide its password where no redaction finds it, and
 * the URL parser's own error carries the input, so it is not kept as a cause.
 */
export function checkUrl(url: string | URL): string {
  const text: unknown = url instanceof URL ? url.href : url;
  let protocol: string | undefined;
  try {
    protocol = typeof text === 'string' ? new URL(text).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol === undefined || !REDIS_PROTOCOLS.has(protocol)) {
    const shown = protocol === undefined ? 'a value that is not a URL' : `a '${protocol}' URL`;
    throw new RedisValidationError(`expected a redis://, rediss:// or unix: URL, got ${shown}`);
  }
  return text as string;
}

/** Checks a timeout option (milliseconds, `0` disables) and returns it. */
export function checkTimeout(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RedisValidationError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}
