import { utf8Decode, utf8Encode } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('utf8', () => {
  it('round-trips multi-byte text', () => {
    const text = 'héllo wörld – 日本語 🎉';
    const bytes = utf8Encode(text);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBeGreaterThan(text.length);
    expect(utf8Decode(bytes)).toBe(text);
  });

  it('encodes known bytes', () => {
    expect([...utf8Encode('é€')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  });
});
