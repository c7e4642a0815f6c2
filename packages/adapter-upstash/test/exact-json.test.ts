import { describe, expect, it } from 'vitest';
import { decodeBase64Strings } from '../src/base64-text.js';
import { JsonSyntaxError, parseJsonExact } from '../src/exact-json.js';

describe('parseJsonExact', () => {
  it('parses like JSON.parse', () => {
    const text = '{"result":["a\\"b\\u00e9\\n",1,-2.5e3,true,false,null,[],{}],"x":{"y":[0]}}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
    expect(parseJsonExact(' [ 1 , "2" ] ')).toEqual([1, '2']);
  });

  it('keeps integers beyond 2^53 exact as bigint, and safe ones as numbers', () => {
    expect(parseJsonExact('{"result":9007199254740993}')).toEqual({ result: 9007199254740993n });
    expect(parseJsonExact('[-9223372036854775808, 9007199254740991, 1e300]')).toEqual([
      -9223372036854775808n,
      9007199254740991,
      1e300,
    ]);
  });

  it('treats a "__proto__" key as data', () => {
    const parsed = parseJsonExact('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('refuses what is not JSON', () => {
    for (const text of ['', '<html>', '{"a":1', '[1,]', '"open', '{"a" 1}', 'nul', '[1] x']) {
      expect(() => parseJsonExact(text), text).toThrow(JsonSyntaxError);
    }
  });
});

describe('decodeBase64Strings', () => {
  it('decodes every string but OK, at any depth', () => {
    expect(decodeBase64Strings(['T0s=', 'OK', ['aMOpbGxv', null, 3], ''])).toEqual([
      'OK',
      'OK',
      ['héllo', null, 3],
      '',
    ]);
    expect(decodeBase64Strings('8J+agA==')).toBe('🚀');
  });

  it('keeps a string that is not base64, and turns bytes that are not UTF-8 into U+FFFD', () => {
    expect(decodeBase64Strings('not base64!')).toBe('not base64!');
    expect(decodeBase64Strings('/w==')).toBe('\uFFFD');
  });
});
