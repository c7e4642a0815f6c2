import { RedisReplyError } from '@redis-service/core';
import { SimpleError } from 'redis';
import { describe, expect, it } from 'vitest';
import { normalizeReply } from '../src/index.js';
import { normalizeCommandReply } from '../src/resp3-shapes.js';
import { plain } from './support.js';

const bytes = (text: string) => Buffer.from(text);

describe('normalizeReply', () => {
  it('reads integer text exactly: numbers when safe, bigints beyond', () => {
    expect(normalizeReply('42', false)).toBe(42);
    expect(normalizeReply('-9007199254740991', false)).toBe(-9007199254740991);
    expect(normalizeReply('9007199254740992', false)).toBe(9007199254740992n);
    expect(normalizeReply('-9223372036854775808', false)).toBe(-9223372036854775808n);
  });

  it('decodes strings as UTF-8, or keeps the bytes when binary', () => {
    expect(normalizeReply(bytes('héllo'), false)).toBe('héllo');
    expect(plain(normalizeReply(Buffer.from([0, 255]), true))).toEqual(Uint8Array.of(0, 255));
    expect(normalizeReply(null, false)).toBeNull();
    expect(normalizeReply(undefined, true)).toBeNull();
  });

  it('folds RESP3 types back to RESP2 ones', () => {
    expect(normalizeReply(true, false)).toBe(1);
    expect(normalizeReply(false, false)).toBe(0);
    expect(normalizeReply(1.5, false)).toBe('1.5');
    expect(normalizeReply(3, false)).toBe('3');
    expect(normalizeReply(Number.POSITIVE_INFINITY, false)).toBe('inf');
    expect(normalizeReply(Number.NEGATIVE_INFINITY, false)).toBe('-inf');
    expect(normalizeReply(Number.NaN, false)).toBe('nan');
    expect(plain(normalizeReply(2.5, true))).toEqual(new TextEncoder().encode('2.5'));
    expect(normalizeReply(12n, false)).toBe(12);
    expect(normalizeReply(2n ** 64n, false)).toBe(2n ** 64n);
    expect(normalizeReply(new Set([bytes('a'), '7']), false)).toEqual(['a', 7]);
    // Map keys are strings even when they look like integers.
    expect(
      normalizeReply(
        new Map<unknown, unknown>([
          ['123', bytes('v')],
          ['k', '5'],
        ]),
        false,
      ),
    ).toEqual(['123', 'v', 'k', 5]);
    expect(normalizeReply({ field: bytes('value') }, false)).toEqual(['field', 'value']);
  });

  it('throws an error nested in a reply as RedisReplyError', () => {
    expect(() => normalizeReply([bytes('ok'), new SimpleError('ERR nested')], false)).toThrow(
      RedisReplyError,
    );
  });
});

describe('normalizeCommandReply (RESP3 reply shapes)', () => {
  it('flattens [member, score] pairs of the WITHSCORES family only', () => {
    const pairs = [
      [bytes('a'), 1.5],
      [bytes('b'), 2],
    ];
    expect(normalizeCommandReply('zrange', pairs, false)).toEqual(['a', '1.5', 'b', '2']);
    expect(normalizeCommandReply(bytes('ZPOPMIN'), pairs, false)).toEqual(['a', '1.5', 'b', '2']);
    expect(normalizeCommandReply('LRANGE', pairs, false)).toEqual([
      ['a', '1.5'],
      ['b', '2'],
    ]);
  });

  it('turns an XREAD map into [[stream, entries]] and other maps into flat arrays', () => {
    const entries = [[bytes('1-1'), [bytes('k'), bytes('v')]]];
    const map = new Map<unknown, unknown>([['s', entries]]);
    expect(normalizeCommandReply('XREAD', map, false)).toEqual([['s', [['1-1', ['k', 'v']]]]]);
    expect(normalizeCommandReply('HGETALL', map, false)).toEqual(['s', [['1-1', ['k', 'v']]]]);
  });
});
