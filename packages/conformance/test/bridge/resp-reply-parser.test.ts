import { describe, expect, it } from 'vitest';
import { RespReplyParser, RespReplyProtocolError } from '../../src/bridge/resp-reply-parser.js';
import { concatBytes, encodeResp } from '../../src/fake/resp-encode.js';
import { type RespValue, reply } from '../../src/fake/resp-value.js';

const encoder = new TextEncoder();

/** Replies of every kind, nested arrays and bytes that look like RESP included. */
const REPLIES: readonly RespValue[] = [
  reply.ok(),
  reply.simple('PONG'),
  reply.error('WRONGTYPE Operation against a key holding the wrong kind of value'),
  reply.int(0),
  reply.int(-42),
  reply.int(123456789012345),
  reply.int(9007199254740993n),
  reply.int(-9007199254740993n),
  reply.nil(),
  reply.nilArray(),
  reply.bulk(''),
  reply.bulk('héllo wörld ✓ 🚀'),
  reply.bulk('a\r\nb\r\n$3\r\n*1\r\n'),
  reply.bulk(new Uint8Array([0, 255, 13, 10, 13, 0x80])),
  reply.array([]),
  reply.array([reply.int(1), reply.array([reply.bulk('a'), reply.nil(), reply.array([])]), reply.nilArray()]),
  reply.array([reply.array([reply.array([reply.array([reply.bulk('deep')])])]), reply.error('ERR inner')]),
  reply.simple('after the arrays'),
];

/** What the parser gives for a value: bulk strings as bytes, integers as safe numbers where they fit. */
function normalized(value: RespValue): RespValue {
  switch (value.type) {
    case 'bulk':
      return {
        type: 'bulk',
        value: typeof value.value === 'string' ? encoder.encode(value.value) : value.value,
      };
    case 'array':
      return { type: 'array', items: value.items.map(normalized) };
    default:
      return value;
  }
}

/** Replies as plain data, so that a bulk string's bytes compare equal whatever view holds them. */
function plain(values: readonly RespValue[]): unknown {
  return values.map((value): unknown => {
    if (value.type === 'bulk') return { bulk: Array.from(value.value as Uint8Array) };
    if (value.type === 'array') return { array: plain(value.items) };
    return value;
  });
}

function parseInChunks(wire: Uint8Array, cuts: readonly number[]): RespValue[] {
  const parser = new RespReplyParser();
  const replies: RespValue[] = [];
  let start = 0;
  for (const cut of [...cuts, wire.byteLength]) {
    replies.push(...parser.push(wire.subarray(start, cut)));
    start = cut;
  }
  return replies;
}

const WIRE = concatBytes(REPLIES.map(encodeResp));
const EXPECTED = plain(REPLIES.map(normalized));

describe('RespReplyParser', () => {
  it('reads a stream of replies in one chunk', () => {
    expect(plain(parseInChunks(WIRE, []))).toEqual(EXPECTED);
  });

  it('reads the same replies wherever one chunk boundary falls (inside CRLF and length headers too)', () => {
    for (let cut = 1; cut < WIRE.byteLength; cut++) {
      expect(plain(parseInChunks(WIRE, [cut])), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('reads the same replies wherever two boundaries fall', () => {
    for (let first = 1; first < WIRE.byteLength; first += 3) {
      for (let second = first + 1; second < WIRE.byteLength; second += 5) {
        expect(plain(parseInChunks(WIRE, [first, second])), `cuts at ${first}, ${second}`).toEqual(EXPECTED);
      }
    }
  });

  it('reads the same replies fed one byte at a time', () => {
    const cuts = Array.from({ length: WIRE.byteLength - 1 }, (_, i) => i + 1);
    expect(plain(parseInChunks(WIRE, cuts))).toEqual(EXPECTED);
  });

  it('returns each reply from the chunk that completes it, and nothing for a partial one', () => {
    const parser = new RespReplyParser();
    expect(parser.push(encoder.encode('*2\r\n$3\r\nfoo\r\n:1'))).toEqual([]);
    expect(parser.push(encoder.encode('2\r'))).toEqual([]);
    const [array, next] = parser.push(encoder.encode('\n+OK\r\n$-'));
    expect(plain([array!])).toEqual(plain([normalized(reply.array([reply.bulk('foo'), reply.int(12)]))]));
    expect(next).toEqual(reply.ok());
    expect(parser.push(encoder.encode('1\r\n'))).toEqual([reply.nil()]);
  });

  it('reads a big bulk string split into many odd-sized chunks, byte for byte', () => {
    const value = new Uint8Array(5 * 1024 * 1024 + 7);
    for (let i = 0; i < value.byteLength; i++) value[i] = (i * 31 + (i >> 9)) & 0xff;
    const wire = concatBytes([encodeResp(reply.bulk(value)), encodeResp(reply.int(7))]);
    const cuts: number[] = [];
    for (let at = 1, step = 1; at < wire.byteLength; at += step, step = (step * 7 + 3) % 100_003)
      cuts.push(at);
    const replies = parseInChunks(wire, cuts);
    expect(replies).toHaveLength(2);
    const bulk = replies[0]!;
    expect(bulk.type).toBe('bulk');
    expect(Buffer.compare(Buffer.from(bulk.type === 'bulk' ? (bulk.value as Uint8Array) : []), value)).toBe(
      0,
    );
    expect(replies[1]).toEqual(reply.int(7));
  });

  it('reads an array of many bulk strings split across chunks', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => reply.bulk(`item-${i}`));
    const wire = encodeResp(reply.array(items));
    const cuts = Array.from(
      { length: Math.floor(wire.byteLength / 1000) },
      (_, i) => (i + 1) * 1000 - (i % 7),
    );
    const [array] = parseInChunks(wire, cuts);
    expect(plain([array!])).toEqual(plain([normalized(reply.array(items))]));
  });

  it('keeps a bulk string that lies inside one chunk as a view of it, not a copy', () => {
    const wire = encodeResp(reply.bulk('x'.repeat(1000)));
    const [bulk] = new RespReplyParser().push(wire);
    expect(bulk?.type === 'bulk' && (bulk.value as Uint8Array).buffer).toBe(wire.buffer);
  });

  it('keeps integers beyond 2^53 exact and the others as numbers', () => {
    const parser = new RespReplyParser();
    expect(parser.push(encoder.encode(':9007199254740991\r\n:18446744073709551615\r\n:-0\r\n'))).toEqual([
      reply.int(9007199254740991),
      reply.int(18446744073709551615n),
      reply.int(-0),
    ]);
  });

  it.each([
    ['an unknown type byte', '?what\r\n'],
    ['a line without CR', '+OK\n'],
    ['a bulk string without CRLF', '$3\r\nfooXY'],
    ['a bulk string with half a CRLF', '$3\r\nfoo\rX'],
    ['a bad length', '$3x\r\n'],
    ['an empty length', '*\r\n'],
    ['a length below -1', '$-2\r\n'],
    ['a bad integer', ':12a\r\n'],
    ['a bare minus', ':-\r\n'],
  ])('refuses %s', (_, wire) => {
    expect(() => new RespReplyParser().push(encoder.encode(wire))).toThrow(RespReplyProtocolError);
  });

  it('refuses a bad frame split across chunks too', () => {
    const parser = new RespReplyParser();
    parser.push(encoder.encode('$3\r\nfo'));
    expect(() => parser.push(encoder.encode('oX\n'))).toThrow(RespReplyProtocolError);
  });
});
