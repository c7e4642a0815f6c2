import type { RedisReply } from '@redis-service/core';

/** Fails the generation on a reply of a shape the metadata cannot have. */
function shapeError(what: string, reply: RedisReply | undefined): Error {
  return new Error(`unexpected metadata reply: ${what}, got ${JSON.stringify(reply, bigintText)}`);
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? String(value) : value;
}

/** A RESP2 map (a flat `[key, value, ...]` array) as a `Map`. */
export function asMap(reply: RedisReply | undefined, what: string): Map<string, RedisReply> {
  const items = asArray(reply, what);
  if (items.length % 2 !== 0) throw shapeError(`${what} as key/value pairs`, reply);
  const map = new Map<string, RedisReply>();
  for (let i = 0; i < items.length; i += 2) map.set(asText(items[i], `${what} key`), items[i + 1]!);
  return map;
}

/** An array reply. */
export function asArray(reply: RedisReply | undefined, what: string): RedisReply[] {
  if (!Array.isArray(reply)) throw shapeError(`${what} as an array`, reply);
  return reply;
}

/** A string reply. */
export function asText(reply: RedisReply | undefined, what: string): string {
  if (typeof reply !== 'string') throw shapeError(`${what} as text`, reply);
  return reply;
}

/** An integer reply. */
export function asNumber(reply: RedisReply | undefined, what: string): number {
  if (typeof reply !== 'number') throw shapeError(`${what} as an integer`, reply);
  return reply;
}

/** An array of strings. */
export function asTexts(reply: RedisReply | undefined, what: string): string[] {
  return asArray(reply, what).map((item) => asText(item, what));
}
