import { decodeVector, encodeVector, RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('encodeVector', () => {
  it('writes FLOAT32 little-endian bytes', () => {
    expect([...encodeVector([1, -2], 2)]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it('accepts a Float32Array and round-trips through decodeVector', () => {
    const vector = Float32Array.from([0.25, 1e-7, -3.5, 65504]);
    expect(decodeVector(encodeVector(vector, 4))).toEqual(vector);
  });

  it('refuses NaN, infinities and numbers beyond the FLOAT32 range', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e39]) {
      expect(() => encodeVector([0, bad], 2)).toThrow(RedisValidationError);
    }
  });

  it('refuses a wrong number of dimensions, an empty vector and non-numbers', () => {
    expect(() => encodeVector([1, 2, 3], 2)).toThrow(/3 dimensions; the index expects 2/);
    expect(() => encodeVector([], undefined)).toThrow(RedisValidationError);
    expect(() => encodeVector(['1'] as unknown as number[], undefined)).toThrow(RedisValidationError);
    expect(() => encodeVector('1,2' as unknown as number[], undefined)).toThrow(RedisValidationError);
  });
});
