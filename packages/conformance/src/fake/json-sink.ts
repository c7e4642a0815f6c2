import { isUtf8 } from 'node:buffer';

/**
 * Where JSON is rendered to, piece by piece: text, or bytes that already are JSON text in UTF-8.
 * A sink that sends the pieces as they are never has to hold the whole document as one string.
 */
export interface JsonSink {
  text(json: string): void;
  bytes(json: Uint8Array): void;
}

/** A sink that builds one string, for documents that are small or have to be a string anyway. */
export class JsonStringSink implements JsonSink {
  readonly #pieces: string[] = [];

  text(json: string): void {
    this.#pieces.push(json);
  }

  bytes(json: Uint8Array): void {
    this.#pieces.push(utf8.decode(json));
  }

  /** Everything written so far, as one string. */
  toString(): string {
    return this.#pieces.join('');
  }
}

const utf8 = new TextDecoder('utf-8');
/** Below this a string is simply decoded and quoted; above it, it is rendered slice by slice. */
const SMALL_BYTES = 64 * 1024;
/** How much of a big string is rendered at once: bounded extra memory, few pieces. */
const SLICE_BYTES = 1024 * 1024;

/**
 * Writes bytes as one JSON string: their UTF-8 text (an invalid sequence becomes U+FFFD, as
 * `TextDecoder` does), or their base64 when `base64` is set. The result is exactly
 * `JSON.stringify(text)`, but a big string is neither decoded nor escaped as a whole: it goes out
 * in slices, and a slice of valid UTF-8 with nothing to escape goes out as the very bytes given
 * (no copy). Slices are cut where no UTF-8 sequence is pending (text) or at a multiple of three
 * bytes (base64), so that the pieces join to the same text.
 *
 * `sliceBytes` is for tests, which use small slices to reach every boundary.
 */
export function writeJsonString(
  bytes: Uint8Array,
  base64: boolean,
  sink: JsonSink,
  sliceBytes = SLICE_BYTES,
): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.byteLength <= Math.min(SMALL_BYTES, sliceBytes)) {
    sink.text(base64 ? `"${buffer.toString('base64')}"` : JSON.stringify(utf8.decode(buffer)));
    return;
  }
  sink.text('"');
  const base64Slice = Math.max(3, sliceBytes - (sliceBytes % 3));
  let start = 0;
  while (start < buffer.byteLength) {
    if (base64) {
      const end = Math.min(start + base64Slice, buffer.byteLength);
      sink.text(buffer.toString('base64', start, end));
      start = end;
      continue;
    }
    const end = textCut(buffer, Math.min(start + Math.max(4, sliceBytes), buffer.byteLength));
    const slice = buffer.subarray(start, end);
    if (isUtf8(slice) && !needsEscape(slice)) sink.bytes(slice);
    else sink.text(JSON.stringify(utf8.decode(slice)).slice(1, -1));
    start = end;
  }
  sink.text('"');
}

/**
 * A cut at or just before `end` where no UTF-8 sequence is pending: before a byte that is not a
 * continuation byte (10xxxxxx), which ends any sequence, valid or not. Four continuation bytes in a
 * row leave nothing pending either, since no sequence is longer than four bytes.
 */
function textCut(buffer: Buffer, end: number): number {
  if (end === buffer.byteLength) return end;
  for (let cut = end; cut > end - 4; cut--) {
    if (!isContinuation(buffer[cut]!)) return cut;
  }
  return end;
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/**
 * Whether JSON needs an escape for any byte: a quote, a backslash or a control character. One
 * native search per byte value beats a JavaScript loop over every byte several times over.
 */
function needsEscape(bytes: Buffer): boolean {
  if (bytes.indexOf(0x22) >= 0 || bytes.indexOf(0x5c) >= 0) return true;
  for (let control = 0; control < 0x20; control++) {
    if (bytes.indexOf(control) >= 0) return true;
  }
  return false;
}
