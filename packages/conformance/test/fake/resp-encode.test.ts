import { describe, expect, it } from 'vitest';
import { encodeResp } from '../../src/fake/resp-encode.js';
import { reply } from '../../src/fake/resp-value.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('encodeResp', () => {
  it('renders each scalar the way Redis sends it', () => {
    expect(text(encodeResp(reply.ok()))).toBe('+OK\r\n');
    expect(text(encodeResp(reply.simple('PONG')))).toBe('+PONG\r\n');
    expect(text(encodeResp(reply.error('WRONGTYPE Operation against a key')))).toBe(
      '-WRONGTYPE Operation against a key\r\n',
    );
    expect(text(encodeResp(reply.int(42)))).toBe(':42\r\n');
    expect(text(encodeResp(reply.int(-7)))).toBe(':-7\r\n');
    expect(text(encodeResp(reply.int(9007199254740993n)))).toBe(':9007199254740993\r\n');
    expect(text(encodeResp(reply.nil()))).toBe('$-1\r\n');
    expect(text(encodeResp(reply.nilArray()))).toBe('*-1\r\n');
  });

  it('length-prefixes bulk strings by their UTF-8 bytes, so CRLF inside is fine', () => {
    expect(text(encodeResp(reply.bulk('')))).toBe('$0\r\n\r\n');
    expect(Buffer.from(encodeResp(reply.bulk('héllo'))).toString('utf8')).toBe('$6\r\nhéllo\r\n');
    expect(text(encodeResp(reply.bulk('a\r\nb')))).toBe('$4\r\na\r\nb\r\n');
  });

  it('sends binary bulk strings byte for byte', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const encoded = encodeResp(reply.bulk(bytes));
    expect(text(encoded.subarray(0, 6))).toBe('$256\r\n');
    expect(encoded.subarray(6, 262)).toEqual(bytes);
    expect(text(encoded.subarray(262))).toBe('\r\n');
  });

  it('renders nested arrays with mixed types', () => {
    const value = reply.array([reply.int(1), reply.array([reply.bulk('a'), reply.nil()]), reply.array([])]);
    expect(text(encodeResp(value))).toBe('*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n*0\r\n');
  });

  it('refuses values that cannot be framed (scenarios send broken frames with `raw`)', () => {
    expect(() => encodeResp(reply.simple('a\r\nb'))).toThrow(TypeError);
    expect(() => encodeResp(reply.error('ERR x\ny'))).toThrow(TypeError);
    expect(() => encodeResp(reply.int(1.5))).toThrow(TypeError);
  });

  it('renders integral numbers beyond 2^53 without exponent notation', () => {
    expect(text(encodeResp(reply.int(1e21)))).toBe(':1000000000000000000000\r\n');
  });
});
