import { RedisReplyError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { normalizeReply } from '../src/normalize-reply.js';
import { resp2Shape } from '../src/resp3-shapes.js';

describe('normalizeReply', () => {
  it('turns Buffers into UTF-8 text, or keeps them as bytes when binary', () => {
    expect(normalizeReply(Buffer.from('héllo'), false)).toBe('héllo');
    const bytes = Buffer.from([0, 255]);
    expect(normalizeReply(bytes, true)).toBe(bytes);
    expect(normalizeReply(Uint8Array.from([104, 105]), false)).toBe('hi');
  });

  it('reads integer text exactly and leaves other numeric text alone', () => {
    expect(normalizeReply('42', false)).toBe(42);
    expect(normalizeReply('-9007199254740993', false)).toBe(-9007199254740993n);
    expect(normalizeReply('18446744073709551616', false)).toBe(18446744073709551616n);
    expect(normalizeReply('1.5', false)).toBe('1.5');
    expect(normalizeReply('inf', true)).toEqual(Buffer.from('inf'));
  });

  it('keeps the port shape for JS numbers, bigints and booleans', () => {
    expect(normalizeReply(7, false)).toBe(7);
    expect(normalizeReply(2 ** 60, false)).toBe(2n ** 60n);
    expect(normalizeReply(1.5, false)).toBe('1.5');
    expect(normalizeReply(Number.NEGATIVE_INFINITY, false)).toBe('-inf');
    expect(normalizeReply(5n, false)).toBe(5);
    expect(normalizeReply(2n ** 64n, false)).toBe(2n ** 64n);
    expect(normalizeReply(true, false)).toBe(1);
    expect(normalizeReply(false, false)).toBe(0);
  });

  it('folds RESP3 maps and sets to RESP2 arrays', () => {
    expect(normalizeReply({ a: Buffer.from('1'), '2': Buffer.from('x') }, false)).toEqual([
      '2',
      'x',
      'a',
      '1',
    ]);
    expect(normalizeReply(new Map([[Buffer.from('k'), '3']]), false)).toEqual(['k', 3]);
    expect(normalizeReply(new Set([Buffer.from('m')]), false)).toEqual(['m']);
    expect(normalizeReply([null, undefined, [Buffer.from('x')]], false)).toEqual([null, null, ['x']]);
  });

  it('throws a nested error reply as RedisReplyError', () => {
    expect(() => normalizeReply([1, new Error('ERR nested')], false)).toThrow(RedisReplyError);
  });
});

describe('resp2Shape', () => {
  it('flattens RESP3 score pairs and keeps scores as text', () => {
    const raw = [
      [Buffer.from('m'), '1.5'],
      [Buffer.from('n'), 3],
    ];
    expect(normalizeReply(resp2Shape('ZRANGE', raw), false)).toEqual(['m', '1.5', 'n', '3']);
  });

  it('turns a stream-read map into [stream, entries] pairs', () => {
    const entries = [[Buffer.from('1-1'), [Buffer.from('f'), Buffer.from('v')]]];
    const expected = [['123', [['1-1', ['f', 'v']]]]];
    expect(normalizeReply(resp2Shape('XREAD', [Buffer.from('123'), entries]), false)).toEqual(expected);
    expect(normalizeReply(resp2Shape('XREAD', { '123': entries }), false)).toEqual(expected);
    expect(resp2Shape('XREAD', null)).toBeNull();
  });
});
