import { RedisValidationError } from '../errors/redis-error.js';

/**
 * Checks a duration option (milliseconds, `0` usually meaning "none") and returns it.
 *
 * @param name the option's name, for the message
 * @throws RedisValidationError unless `value` is a finite number >= 0
 */
export function checkTimeout(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RedisValidationError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Checks that `url` is a URL with one of `protocols` (with the colon, e.g. `'redis:'`) and
 * returns it as text. The error names only the scheme it found: a malformed URL may hide its
 * password where no redaction finds it, and the URL parser's own error carries the input, so it
 * is not kept as a cause.
 *
 * @throws RedisValidationError for anything else
 */
export function checkRedisUrl(
  url: string | URL,
  protocols: readonly string[] = ['redis:', 'rediss:'],
): string {
  const text: unknown = url instanceof URL ? url.href : url;
  let protocol: string | undefined;
  try {
    protocol = typeof text === 'string' ? new URL(text).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol === undefined || !protocols.includes(protocol)) {
    const shown = protocol === undefined ? 'a value that is not a URL' : `a '${protocol}' URL`;
    throw new RedisValidationError(`expected ${describeProtocols(protocols)} URL, got ${shown}`);
  }
  return text as string;
}

/** `a redis:// or rediss://`, `a redis://, rediss:// or unix:` */
function describeProtocols(protocols: readonly string[]): string {
  const names = protocols.map((protocol) => (protocol === 'unix:' ? protocol : `${protocol}//`));
  const last = names.pop();
  return names.length === 0 ? `a ${last}` : `a ${names.join(', ')} or ${last}`;
}
