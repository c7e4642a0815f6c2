import { describe, expect, it } from 'vitest';
import { encodeCommands } from '../../src/bridge/resp-command-encoder.js';
import { RespRequestParser } from '../../src/fake/resp-request-parser.js';

function wire(pieces: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat(
    pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece)),
  );
}

describe('encodeCommands', () => {
  it('renders commands as RESP arrays of bulk strings, lengths in UTF-8 bytes', () => {
    expect(wire(encodeCommands([['SET', 'k', 'héllo 🚀'], ['PING'], ['ECHO', '']])).toString('utf8')).toBe(
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$11\r\nhéllo 🚀\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n',
    );
  });

  it('passes byte arguments on as they are, exactly', () => {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    const pieces = encodeCommands([
      ['SET', 'bin', payload],
      ['GET', 'bin'],
    ]);
    expect(pieces).toContain(payload);
    const [set, get] = new RespRequestParser().push(wire(pieces));
    expect(Buffer.from(set![2]!).equals(Buffer.from(payload))).toBe(true);
    expect(get!.map((arg) => Buffer.from(arg).toString())).toEqual(['GET', 'bin']);
  });

  it('joins the text of many commands into a few pieces that a server reads back', () => {
    const commands = Array.from({ length: 20_000 }, (_, i) => ['SET', `key:${i}`, `välue-${i}`]);
    const pieces = encodeCommands(commands);
    expect(pieces.length).toBeLessThan(100);
    const parsed = new RespRequestParser().push(wire(pieces));
    expect(parsed).toHaveLength(commands.length);
    expect(parsed[19_999]!.map((arg) => Buffer.from(arg).toString('utf8'))).toEqual(commands[19_999]);
  });
});
