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

  it('refuses circular values with RedisSerializationError, keeping the cause', () => {
    const circular: { self?: unknown } = {};
    circular.self = circular;
    for (const value of [circular, [circular], { deep: { deeper: circular } }]) {
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

  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }

  it.each([
    ['NaN', Number.NaN, []],
    ['Infinity nested', { a: { b: [1, Number.POSITIVE_INFINITY] } }, ['a', 'b', 1]],
    ['-Infinity', [Number.NEGATIVE_INFINITY], [0]],
    ['a bigint', { n: 10n }, ['n']],
    ['a bare bigint', 10n, []],
    ['a Map', { m: new Map([[1, 2]]) }, ['m']],
    ['a Set', new Set([1]), []],
    ['an undefined member', { a: 1, b: undefined }, ['b']],
    ['an undefined item', [1, undefined], [1]],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point
    ['an array hole', [1, , 3], [1]],
    ['a function member', { f: () => 1 }, ['f']],
    ['a symbol item', [Symbol('s')], [0]],
    ['a class instance', { p: new Point(1, 2) }, ['p']],
    ['an invalid Date', { d: new Date(Number.NaN) }, ['d']],
    ['bytes', { b: new Uint8Array(2) }, ['b']],
    ['a boxed number', { n: new Number(1) }, ['n']],
    ['an odd member name', { 'a b': Number.NaN }, ['a b']],
  ])('refuses %s with RedisSerializationError naming its path', (_, value, path) => {
    try {
      encodeJson(value, 'k');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RedisSerializationError);
      expect(error).toMatchObject({ key: 'k', path });
    }
  });

  it('names the path in the message and says what JSON would have done', () => {
    expect(() => encodeJson({ a: { b: [1, Number.NaN] } }, 'k')).toThrow(
      "cannot encode value as JSON for key 'k': NaN at $.a.b[1] (JSON has no NaN or Infinity: it would store null)",
    );
    expect(() => encodeJson({ tags: new Map() })).toThrow(/a Map.*\$\.tags.*Object\.fromEntries/);
    expect(() => encodeJson({ 'odd key': undefined })).toThrow(/\$\["odd key"\]/);
  });

  it('checks what a toJSON returns, and encodes Dates and other toJSON values by it', () => {
    expect(encodeJson({ d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
    expect(encodeJson({ v: { toJSON: () => ({ ok: [1] }) } })).toBe('{"v":{"ok":[1]}}');
    expect(() => encodeJson({ v: { toJSON: () => ({ bad: Number.NaN }) } })).toThrow(RedisSerializationError);
    expect(() => encodeJson({ v: { toJSON: () => new Map() } })).toThrow(RedisSerializationError);
  });

  it('encodes plain data as JSON.stringify does: null-prototype objects, deep nesting, unicode', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(encodeJson(bare)).toBe('{"a":1}');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 500; i++) deep = { next: [deep] };
    expect(encodeJson(deep)).toBe(JSON.stringify(deep));
    expect(encodeJson({ s: 'é 😀 \uD800' })).toBe(JSON.stringify({ s: 'é 😀 \uD800' }));
    expect(encodeJson({ [Symbol('meta')]: 1, a: 1 })).toBe('{"a":1}');
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
