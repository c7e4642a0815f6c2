import { RESP3_PAIRED_REPLY_COMMANDS, RESP3_STREAM_MAP_COMMANDS } from '@redis-service/core';
import { doubleText } from './normalize-reply.js';

// ioredis flattens paired replies itself only through its lowercase reply transformers, which the
// driver bypasses (it sends uppercase names to keep replies raw), so the driver does it here.
const PAIR_COMMANDS = RESP3_PAIRED_REPLY_COMMANDS;
const STREAM_READ_COMMANDS = RESP3_STREAM_MAP_COMMANDS;

/**
 * Gives a raw reply read over a RESP3 connection the structure RESP2 gives it, for the commands
 * whose structure differs between the protocols (the wire types are `normalizeReply`'s business).
 * Runs before normalization, on what ioredis decoded. Call it only for replies read over RESP3.
 *
 * A score inside a nested pair is a RESP3 double; ioredis may have decoded it to a JS number or
 * to text, which would read as an integer when integral. It is turned back into the bytes RESP2
 * would have sent, so `ZRANGE ... WITHSCORES` is exact on RESP3 too.
 *
 * @param command the command name, uppercase
 */
export function resp2Shape(command: string, raw: unknown): unknown {
  if (PAIR_COMMANDS.has(command) && Array.isArray(raw)) {
    return raw.flatMap((item: unknown) => (Array.isArray(item) ? item.map(pairPart) : [item]));
  }
  if (STREAM_READ_COMMANDS.has(command)) return streamsAsPairs(raw);
  return raw;
}

function pairPart(part: unknown): unknown {
  if (typeof part === 'string') return Buffer.from(part);
  if (typeof part === 'number') return Buffer.from(doubleText(part));
  return part;
}

function streamsAsPairs(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    const streams: unknown[] = [];
    for (let index = 0; index + 1 < raw.length; index += 2) streams.push([raw[index], raw[index + 1]]);
    return streams;
  }
  if (raw instanceof Map) return [...raw];
  // replyMapping 'resp3' decodes the map to an object; its keys are stream names, so keep them bytes.
  if (typeof raw === 'object' && raw !== null && !(raw instanceof Uint8Array)) {
    return Object.entries(raw).map(([name, entries]: [string, unknown]) => [Buffer.from(name), entries]);
  }
  return raw;
}
