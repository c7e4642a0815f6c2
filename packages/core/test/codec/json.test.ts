import { decodeJson, encodeJson, RedisSerializationError, RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('encodeJson', () => {
  it('encodes plain JSON values', () => {
    expect(encodeJson({ a: [1, 'x', null, true] })).toBe('{"a":[1,"x",null,true]}');
    expect(encodeJson(null)).toBe('null');
    expect(encodeJson('text')).toBe('"text"');
    expect(encodeJson(0)).toBe('0');
  });

  it('refuses undefined with RedisValidationError naming the key', () => {
    expect(() => encodeJson(undefined)).toThrow(RedisValidationError);
    try {
      encodeJson(undefined, 'k');
      expect.unreachable();
    } catch (error) {
      expect((error as RedisValidationError).key).toBe('k');
    }
  });

  it('refuses BigInt and circular values with RedisSerializationError, keeping the cause', () => {
    const circular: { self?: unknown } = {};
    circular.self = circular;
    for (const value of [10n, { n: 1n }, circular]) {
      try {
        encodeJson(value, 'k');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(RedisSerializationError);
        expect((error as RedisSerializationError).key).toBe('k');
        expect((error as Error).cause).toBeInstanceOf(TypeError);
      }
    }
  });

  it('refuses values with no JSON form (function, symbol, toJSON returning undefined)', () => {
    for (const value of [() => 1, Symbol('s'), { toJSON: () => undefined }]) {
      expect(() => encodeJson(value)).toThrow(RedisSerializationError);
    }
  });
});

describe('decodeJson', () => {
  it('decodes JSON text', () => {
    expect(decodeJson('{"a":1}')).toEqual({ a: 1 });
    expect(decodeJson('null')).toBeNull();
  });

  it('refuses text that is not JSON with RedisSerializationError naming the key', () => {
    for (const text of ['', '{', 'undefined', "{'a':1}"]) {
      try {
        decodeJson(text, 'k');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(RedisSerializationError);
        expect((error as RedisSerializationError).key).toBe('k');
        expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      }
    }
  });

  it('never puts the stored text in the message', () => {
    expect(() => decodeJson('{secret-token', 'k')).toThrow(/^(?!.*secret-token)/);
  });
});
