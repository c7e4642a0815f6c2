import { describe, expect, it } from 'vitest';
import { type JsonSink, JsonStringSink, writeJsonString } from '../../src/fake/json-sink.js';

const utf8 = new TextDecoder('utf-8');

/** A sink that remembers its pieces, to see which went out as the very bytes given. */
class RecordingSink implements JsonSink {
  readonly pieces: (string | Uint8Array)[] = [];
  text(json: string): void {
    this.pieces.push(json);
  }
  bytes(json: Uint8Array): void {
    this.pieces.push(json);
  }
  joined(): string {
    return this.pieces.map((piece) => (typeof piece === 'string' ? piece : utf8.decode(piece))).join('');
  }
}

function rendered(bytes: Uint8Array, base64: boolean, sliceBytes?: number): string {
  const sink = new JsonStringSink();
  writeJsonString(bytes, base64, sink, sliceBytes);
  return sink.toString();
}

/** A deterministic mix of ASCII, quotes, controls, multi-byte characters and invalid sequences. */
function mixedBytes(length: number, seed: number): Uint8Array {
  const alphabet = [
    ...new TextEncoder().encode('ab "\\\n\t\u0000é✓🚀\u2028'),
    0x80, // a stray continuation byte
    0xc3, // a lead byte that may end up without its continuation
    0xf0,
    0x9f,
    0xff,
  ];
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = alphabet[state % alphabet.length]!;
  }
  return bytes;
}

describe('writeJsonString', () => {
  it('renders exactly JSON.stringify of the decoded text, whatever the slice size', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const bytes = mixedBytes(1 + seed * 37, seed);
      const expected = JSON.stringify(utf8.decode(bytes));
      for (const slice of [4, 5, 6, 7, 13, 64, 1 << 20]) {
        expect(rendered(bytes, false, slice), `seed ${seed}, slice ${slice}`).toBe(expected);
      }
    }
  });

  it('renders exactly the base64 of the bytes, whatever the slice size', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = mixedBytes(seed * 41, seed);
      const expected = JSON.stringify(Buffer.from(bytes).toString('base64'));
      for (const slice of [3, 4, 5, 6, 7, 64]) {
        expect(rendered(bytes, true, slice), `seed ${seed}, slice ${slice}`).toBe(expected);
      }
    }
  });

  it('handles runs of continuation bytes and multi-byte characters at every cut', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('🚀🚀'),
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      ...new TextEncoder().encode('日本'),
      0xe6,
      0x97,
    ]);
    for (let slice = 4; slice <= bytes.byteLength + 1; slice++) {
      expect(rendered(bytes, false, slice)).toBe(JSON.stringify(utf8.decode(bytes)));
    }
  });

  it('sends a big string of plain text as slices of the given bytes, without copying them', () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 'y');
    const sink = new RecordingSink();
    writeJsonString(bytes, false, sink);
    const views = sink.pieces.filter((piece): piece is Uint8Array => typeof piece !== 'string');
    expect(views.length).toBeGreaterThanOrEqual(3);
    for (const view of views) expect(view.buffer).toBe(bytes.buffer);
    expect(sink.joined()).toBe(JSON.stringify(bytes.toString('latin1')));
  });

  it('escapes a big string that needs it, and keeps invalid bytes as U+FFFD', () => {
    const bytes = Buffer.concat([
      Buffer.alloc(2 * 1024 * 1024, 'z'),
      Buffer.from('"\n\\'),
      Buffer.from([0xff]),
    ]);
    expect(rendered(bytes, false)).toBe(JSON.stringify(utf8.decode(bytes)));
  });
});
