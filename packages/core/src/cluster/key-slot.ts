import { numericArgText } from '../port/arg-text.js';
import type { RedisArg } from '../port/reply.js';
import { crc16, crc16Step } from './crc16.js';

/** How many hash slots a Redis Cluster has: a key's slot is `CRC16(key or its tag) mod 16384`. */
export const SLOT_COUNT = 16384;

const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

/**
 * The hash slot of a key, as Redis Cluster computes it (`CLUSTER KEYSLOT`): CRC16 of the key's
 * bytes (UTF-8 for a string) mod 16384, or of its hash tag when it has one. The tag is what lies
 * between the key's first `{` and the first `}` after it, when that is not empty: `{user:1}:cart`
 * and `{user:1}:orders` share a slot; `{}x`, `x{` and `}{x` have no tag and hash whole.
 *
 * A string is hashed as the bytes the drivers send for it (UTF-8, a lone surrogate as U+FFFD),
 * without building them; a number as its decimal text.
 */
export function keySlot(key: RedisArg): number {
  if (key instanceof Uint8Array) return bytesSlot(key);
  const text = typeof key === 'string' ? key : numericArgText(key);
  const open = text.indexOf('{');
  if (open !== -1) {
    const close = text.indexOf('}', open + 1);
    if (close > open + 1) return utf8Crc(text, open + 1, close) % SLOT_COUNT;
  }
  return utf8Crc(text, 0, text.length) % SLOT_COUNT;
}

function bytesSlot(bytes: Uint8Array): number {
  const open = bytes.indexOf(OPEN);
  if (open !== -1) {
    const close = bytes.indexOf(CLOSE, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) % SLOT_COUNT;
  }
  return crc16(bytes) % SLOT_COUNT;
}

/**
 * CRC16 of the UTF-8 encoding of `text[start..end)`. `{` and `}` are single bytes that never occur
 * inside a multi-byte sequence, so finding the tag on UTF-16 indexes finds the same bytes.
 */
function utf8Crc(text: string, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      crc = crc16Step(crc, code);
      continue;
    }
    if (code < 0x800) {
      crc = crc16Step(crc16Step(crc, 0xc0 | (code >> 6)), 0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        crc = crc16Step(crc, 0xf0 | (code >> 18));
        crc = crc16Step(crc, 0x80 | ((code >> 12) & 0x3f));
        crc = crc16Step(crc, 0x80 | ((code >> 6) & 0x3f));
        crc = crc16Step(crc, 0x80 | (code & 0x3f));
        continue;
      }
      code = 0xfffd; // a lone surrogate: what TextEncoder and Buffer.from write for it
    }
    crc = crc16Step(crc, 0xe0 | (code >> 12));
    crc = crc16Step(crc, 0x80 | ((code >> 6) & 0x3f));
    crc = crc16Step(crc, 0x80 | (code & 0x3f));
  }
  return crc;
}

/**
 * The part of `key` Redis Cluster hashes: its hash tag, or `undefined` when it has none (then the
 * whole key is hashed). See `keySlot`.
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}
