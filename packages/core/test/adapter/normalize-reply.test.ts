import { RedisReplyError, RedisSerializationError } from '@redis-service/core';
import { normalizeCommandReply, normalizeReply, resp2Shape } from '@redis-service/core/adapter';
import { describe, expect, it } from 'vitest';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('normalizeReply', () => {
  it('turns bytes into UTF-8 text, or keeps them as they are when binary', () => {
    expect(normalizeReply(bytes('héllo'), false)).toBe('héllo');
    const raw = Uint8Array.of(0, 255);
    expect(normalizeReply(raw, true)).toBe(raw);
    // A leading byte order mark is data, as a Node Buffer's toString() keeps it.
    expect(normalizeReply(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), false)).toBe('\uFEFFA');
    expect(normalizeReply(null, false)).toBeNull();
    expect(normalizeReply(undefined, true)).toBeNull();
  });

  it('reads integer text exactly: numbers when safe, bigints beyond; other text stays text', () => {
    expect(normalizeReply('42', false)).toBe(42);
    expect(normalizeReply('-9007199254740991', false)).toBe(-9007199254740991);
    expect(normalizeReply('9007199254740992', false)).toBe(9007199254740992n);
    expect(normalizeReply('-9223372036854775808', false)).toBe(-9223372036854775808n);
    expect(normalizeReply('18446744073709551616', false)).toBe(18446744073709551616n);
    expect(normalizeReply('1.5', false)).toBe('1.5');
    expect(normalizeReply('inf', true)).toEqual(bytes('inf'));
  });

  it("reads JS numbers as integers by default, a fraction as a double's text", () => {
    expect(normalizeReply(7, false)).toBe(7);
    expect(normalizeReply(2 ** 60, false)).toBe(2n ** 60n);
    expect(normalizeReply(1.5, false)).toBe('1.5');
    expect(normalizeReply(Number.NEGATIVE_INFINITY, false)).toBe('-inf');
  });

  it("reads every JS number as a double with numbers: 'double'", () => {
    expect(normalizeReply(3, false, 'double')).toBe('3');
    expect(normalizeReply(1.5, false, 'double')).toBe('1.5');
    expect(normalizeReply(Number.POSITIVE_INFINITY, false, 'double')).toBe('inf');
    expect(normalizeReply(Number.NaN, false, 'double')).toBe('nan');
    expect(normalizeReply(2.5, true, 'double')).toEqual(bytes('2.5'));
  });

  it('folds RESP3 big numbers, booleans, sets and maps to RESP2 shapes', () => {
    expect(normalizeReply(12n, false)).toBe(12);
    expect(normalizeReply(2n ** 64n, false)).toBe(2n ** 64n);
    expect(normalizeReply(true, false)).toBe(1);
    expect(normalizeReply(false, false)).toBe(0);
    expect(normalizeReply(new Set([bytes('a'), '7']), false)).toEqual(['a', 7]);
    // Map keys decoded to JS strings are text even when they look like integers.
    const map = new Map<unknown, unknown>([
      ['123', bytes('v')],
      ['k', '5'],
      [bytes('b'), '3'],
    ]);
    expect(normalizeReply(map, false)).toEqual(['123', 'v', 'k', 5, 'b', 3]);
    expect(normalizeReply({ a: bytes('1'), '2': bytes('x') }, false)).toEqual(['2', 'x', 'a', '1']);
    expect(normalizeReply({ field: bytes('value') }, true)).toEqual([bytes('field'), bytes('value')]);
    expect(normalizeReply([null, undefined, [bytes('x')]], false)).toEqual([null, null, ['x']]);
    expect(normalizeReply(new String('verbatim'), false)).toBe('verbatim');
  });

  it('throws an error nested in a reply as RedisReplyError, and refuses what no client decodes to', () => {
    expect(() => normalizeReply([bytes('ok'), new Error('ERR nested')], false)).toThrow(RedisReplyError);
    expect(() => normalizeReply(() => 1, false)).toThrow(RedisSerializationError);
  });
});

describe('resp2Shape / normalizeCommandReply', () => {
  it('flattens RESP3 score pairs of the paired family only, scores as text', () => {
    const pairs = [
      [bytes('m'), '1.5'],
      [bytes('n'), 3],
    ];
    expect(normalizeCommandReply('ZRANGE', pairs, false)).toEqual(['m', '1.5', 'n', '3']);
    expect(normalizeCommandReply('zrange', pairs, false, 'double')).toEqual(['m', '1.5', 'n', '3']);
    expect(normalizeCommandReply(bytes('ZPOPMIN'), pairs, false)).toEqual(['m', '1.5', 'n', '3']);
    // ZPOPMIN without a count answers one flat pair: its score is still a double.
    expect(normalizeCommandReply('ZPOPMIN', [bytes('m'), 3], false)).toEqual(['m', '3']);
    expect(normalizeCommandReply('LRANGE', pairs, false)).toEqual([
      ['m', '1.5'],
      ['n', 3],
    ]);
  });

  it('leaves RESP2 replies as they are', () => {
    const flat = [bytes('m'), bytes('1')];
    expect(normalizeCommandReply('ZRANGE', flat, false)).toEqual(['m', '1']);
    const xread = [[bytes('s'), [[bytes('1-1'), [bytes('f'), bytes('v')]]]]];
    expect(resp2Shape('XREAD', xread)).toBe(xread);
    expect(resp2Shape('GET', bytes('x'))).toEqual(bytes('x'));
    expect(resp2Shape('XREAD', null)).toBeNull();
  });

  it('turns a stream-read map (Map, object or flat array) into [stream, entries] pairs, names as text', () => {
    const entries = [[bytes('1-1'), [bytes('f'), bytes('v')]]];
    const expected = [['123', [['1-1', ['f', 'v']]]]];
    expect(normalizeCommandReply('XREAD', [bytes('123'), entries], false)).toEqual(expected);
    expect(normalizeCommandReply('XREAD', { '123': entries }, false)).toEqual(expected);
    expect(normalizeCommandReply('XREADGROUP', new Map([['123', entries]]), false)).toEqual(expected);
    // Any other map is a flat array.
    expect(normalizeCommandReply('HGETALL', new Map([['123', bytes('v')]]), false)).toEqual(['123', 'v']);
  });
});
