import { describe, expect, it } from 'vitest';
import { RespProtocolError, RespRequestParser } from '../../src/fake/resp-request-parser.js';
import { resp } from './raw-client.js';

const bytes = (value: string) => new TextEncoder().encode(value);
const words = (commands: Uint8Array[][]) =>
  commands.map((args) => args.map((arg) => new TextDecoder().decode(arg)));

describe('RespRequestParser', () => {
  it('reads pipelined commands from one chunk', () => {
    const parser = new RespRequestParser();
    expect(words(parser.push(bytes(resp('SET', 'k', 'v') + resp('GET', 'k'))))).toEqual([
      ['SET', 'k', 'v'],
      ['GET', 'k'],
    ]);
    expect(parser.hasPartialCommand).toBe(false);
  });

  it('reassembles commands split at every possible byte', () => {
    const wire = bytes(resp('SET', 'key', 'a\r\nb') + resp('PING') + resp('ECHO', ''));
    for (let cut = 1; cut < wire.byteLength; cut++) {
      const parser = new RespRequestParser();
      const first = parser.push(wire.subarray(0, cut));
      const rest = parser.push(wire.subarray(cut));
      expect(words([...first, ...rest])).toEqual([['SET', 'key', 'a\r\nb'], ['PING'], ['ECHO', '']]);
    }
  });

  it('reassembles a command fed one byte at a time', () => {
    const parser = new RespRequestParser();
    const wire = bytes(resp('HSET', 'h', 'f', 'héllo'));
    const commands: Uint8Array[][] = [];
    for (const byte of wire) commands.push(...parser.push(Uint8Array.of(byte)));
    expect(words(commands)).toEqual([['HSET', 'h', 'f', 'héllo']]);
  });

  it('keeps binary arguments exactly', () => {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    const wire = Buffer.concat([Buffer.from('*2\r\n$3\r\nSET\r\n$256\r\n'), payload, Buffer.from('\r\n')]);
    const [command] = new RespRequestParser().push(wire);
    expect(command?.[1]).toEqual(payload);
  });

  it('reads inline commands and skips empty ones', () => {
    const parser = new RespRequestParser();
    expect(words(parser.push(bytes('PING\r\n\r\n*0\r\nECHO  hi\n')))).toEqual([['PING'], ['ECHO', 'hi']]);
  });

  it('rejects bytes that are not a command', () => {
    expect(() => new RespRequestParser().push(bytes('*1\r\n+PING\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespRequestParser().push(bytes('*x\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespRequestParser().push(bytes('*1\r\n$1\r\nab\r\n'))).toThrow(RespProtocolError);
  });
});
