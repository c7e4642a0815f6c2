import type { RedisReply } from '@redis-service/core';
import { RESP3_PAIRED_REPLY_COMMANDS, RESP3_STREAM_MAP_COMMANDS } from '@redis-service/core';
import { normalizeMapKey, normalizeReply } from './normalize-reply.js';

const PAIR_COMMANDS = RESP3_PAIRED_REPLY_COMMANDS;
const STREAM_READ_COMMANDS = RESP3_STREAM_MAP_COMMANDS;

/**
 * Normalizes the reply to one command (see `normalizeReply`) and gives it the shape RESP2 gives
 * it, for the few commands whose reply *structure* differs between the protocols. The check is on
 * the reply itself (a `Map`, nested pairs), so it needs no knowledge of the client's protocol, and
 * the command name is only looked at when the reply has such a shape.
 *
 * @param name the command's name as sent (any case)
 */
export function normalizeCommandReply(
  name: string | Buffer | undefined,
  raw: unknown,
  binary: boolean,
): RedisReply {
  if (raw instanceof Map && STREAM_READ_COMMANDS.has(upper(name))) {
    const streams: RedisReply[] = [];
    for (const [key, value] of raw as Map<unknown, unknown>) {
      streams.push([normalizeMapKey(key, binary), normalizeReply(value, binary)]);
    }
    return streams;
  }
  const reply = normalizeReply(raw, binary);
  if (Array.isArray(reply) && Array.isArray(reply[0]) && PAIR_COMMANDS.has(upper(name))) {
    return reply.flatMap((item) => (Array.isArray(item) ? item : [item]));
  }
  return reply;
}

function upper(name: string | Buffer | undefined): string {
  return name === undefined ? '' : name.toString().toUpperCase();
}
