import type { RedisReply } from '@redis-service/core';
import { normalizeCommandReply as normalize } from '@redis-service/core/adapter';

/**
 * The toolkit's `normalizeCommandReply` for replies decoded with `REPLY_TYPE_MAPPING` (a JS
 * number is always a RESP3 double): RESP3 shapes folded to RESP2 ones, then normalized.
 *
 * @param name the command's name as sent (any case)
 */
export function normalizeCommandReply(
  name: string | Buffer | undefined,
  raw: unknown,
  binary: boolean,
): RedisReply {
  return normalize(name, raw, binary, 'double');
}
