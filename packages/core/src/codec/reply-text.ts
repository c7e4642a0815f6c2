import type { RedisReply } from '../port/reply.js';
import { utf8Decode } from './utf8.js';

/** Turns every `Uint8Array` inside a reply into its UTF-8 string (for text callers of a binary batch). */
export function replyAsText(reply: RedisReply): RedisReply {
  if (reply instanceof Uint8Array) return utf8Decode(reply);
  if (Array.isArray(reply)) return reply.map(replyAsText);
  return reply;
}
