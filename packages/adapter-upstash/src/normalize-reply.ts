import { type RedisReply, RedisSerializationError } from '@redis-service/core';

/**
 * Turns a decoded REST `result` into the port's `RedisReply`. The REST API sends nil as `null`,
 * integers as JSON numbers, strings as strings (already decoded from base64 by the transport) and
 * arrays as arrays, so this is mostly a check:
 *
 * - an integer is a `number` when safe, else a `bigint` (exact when the transport parsed it so);
 * - a `number` that is an integer beyond 2^53 was rounded by `JSON.parse` before it got here
 *   (a user's @upstash/redis client): it is refused with `RedisSerializationError` rather than
 *   passed on as a wrong value;
 * - a fractional number (Redis never sends one; RESP2 doubles are strings) becomes its text.
 */
export function normalizeReply(raw: unknown): RedisReply {
  switch (typeof raw) {
    case 'string':
      return raw;
    case 'number':
      if (Number.isSafeInteger(raw)) return raw;
      if (Number.isInteger(raw)) {
        throw new RedisSerializationError(
          `an integer reply beyond 2^53 (about ${raw}) was rounded by @upstash/redis' JSON parsing; ` +
            'use createUpstashDriverFromUrl, which reads integers exactly',
        );
      }
      return String(raw);
    case 'bigint':
      return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw ? 1 : 0;
    case 'object':
      if (raw === null) return null;
      if (Array.isArray(raw)) return raw.map(normalizeReply);
      break;
  }
  throw new RedisSerializationError(
    `unexpected ${raw === undefined ? 'missing value' : typeof raw} in an Upstash reply`,
  );
}
