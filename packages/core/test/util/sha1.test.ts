import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../../src/util/sha1.js';

/**
 * SHA-1 from the platform (WebCrypto, the same OpenSSL code as node:crypto on Node), as an
 * independent reference. WebCrypto keeps this file free of Node-only imports and types.
 */
async function platformSha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('sha1Hex', () => {
  it('matches the FIPS 180 vectors', () => {
    expect(sha1Hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    expect(sha1Hex('a'.repeat(1_000_000))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('hashes the UTF-8 bytes of multi-byte text', async () => {
    for (const text of [
      'héllo wörld',
      '日本語のテキスト',
      '🎉'.repeat(40),
      'return redis.call("GET", KEYS[1])',
    ]) {
      expect(sha1Hex(text)).toBe(await platformSha1(text));
    }
  });

  it('is right at every padding boundary (lengths 0 to 130)', async () => {
    for (let length = 0; length <= 130; length++) {
      const text = 'x'.repeat(length);
      expect(sha1Hex(text), `length ${length}`).toBe(await platformSha1(text));
    }
  });
});
