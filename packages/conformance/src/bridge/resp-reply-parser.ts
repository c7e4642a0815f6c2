import type { RespValue } from '../fake/resp-value.js';

/** The server sent bytes that are not a RESP2 reply. */
export class RespReplyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespReplyProtocolError';
  }
}

const CR = 0x0d;
const LF = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Up to 15 decimal digits always fit a double exactly; longer integers go through BigInt. */
const EXACT_DIGITS = 15;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** An array whose items are still arriving. */
interface Frame {
  readonly items: RespValue[];
  remaining: number;
}

/** A bulk string longer than the chunk it started in: its bytes are copied here as they arrive. */
interface PartialBulk {
  readonly target: Uint8Array;
  filled: number;
}

/**
 * Reads RESP2 replies from a server's byte stream, split anywhere across TCP chunks. Bulk strings
 * stay bytes (a REST front end may have to base64 them exactly) and integers keep every digit
 * (a `bigint` beyond 2^53), so nothing the server said is lost before it is rendered.
 *
 * The work is linear in the bytes received: each chunk is read once from where the last one
 * stopped, never joined to what came before. A bulk string inside one chunk is a view of it (no
 * copy); one that spans chunks is copied once into a buffer of its announced length. Only a
 * header line split by a chunk boundary (a few bytes) is ever joined.
 */
export class RespReplyParser {
  /** The start of a line that a chunk boundary cut, waiting for its LF. */
  readonly #lineStart: Uint8Array[] = [];
  #bulk: PartialBulk | undefined;
  /** A bulk string whose bytes are all here, waiting for its CRLF. */
  #bulkDone: Uint8Array | undefined;
  /** How many bytes of that CRLF are still to come (2, 1 or 0). */
  #trailer = 0;
  readonly #stack: Frame[] = [];
  #replies: RespValue[] = [];

  /** Adds a chunk and returns the replies it completed, in order. */
  push(chunk: Uint8Array): RespValue[] {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let offset = 0;
    while (offset < bytes.byteLength) {
      if (this.#trailer > 0) offset = this.#readTrailer(bytes, offset);
      else if (this.#bulk) offset = this.#fillBulk(this.#bulk, bytes, offset);
      else offset = this.#readLine(bytes, offset);
    }
    const replies = this.#replies;
    this.#replies = [];
    return replies;
  }

  #readLine(bytes: Buffer, offset: number): number {
    const lf = bytes.indexOf(LF, offset);
    if (lf < 0) {
      this.#lineStart.push(bytes.subarray(offset));
      return bytes.byteLength;
    }
    let line = bytes.subarray(offset, lf + 1);
    if (this.#lineStart.length > 0) {
      this.#lineStart.push(line);
      line = Buffer.concat(this.#lineStart.splice(0));
    }
    if (line.byteLength < 3 || line[line.byteLength - 2] !== CR) {
      throw new RespReplyProtocolError(
        `a reply line must end with CRLF: ${JSON.stringify(latin1.decode(line))}`,
      );
    }
    return this.#onLine(line.subarray(0, line.byteLength - 2), bytes, lf + 1);
  }

  /** Handles one line (CRLF removed); `offset` is where the bytes after it start in `bytes`. */
  #onLine(line: Uint8Array, bytes: Buffer, offset: number): number {
    const body = line.subarray(1);
    switch (line[0]) {
      case 0x2b: // '+'
        this.#complete({ type: 'simple', value: utf8.decode(body) });
        return offset;
      case 0x2d: // '-'
        this.#complete({ type: 'error', message: utf8.decode(body) });
        return offset;
      case 0x3a: // ':'
        this.#complete({ type: 'int', value: integerOf(body) });
        return offset;
      case 0x24: {
        // '$'
        const length = lengthOf(body);
        if (length < 0) {
          this.#complete({ type: 'nil' });
          return offset;
        }
        if (bytes.byteLength - offset >= length) {
          this.#awaitTrailer(bytes.subarray(offset, offset + length));
          return offset + length;
        }
        const bulk: PartialBulk = { target: Buffer.allocUnsafe(length), filled: 0 };
        this.#bulk = bulk;
        return this.#fillBulk(bulk, bytes, offset);
      }
      case 0x2a: {
        // '*'
        const count = lengthOf(body);
        if (count < 0) this.#complete({ type: 'nil-array' });
        else if (count === 0) this.#complete({ type: 'array', items: [] });
        else this.#stack.push({ items: [], remaining: count });
        return offset;
      }
      default:
        throw new RespReplyProtocolError(
          `unexpected reply type byte ${JSON.stringify(latin1.decode(line.subarray(0, 1)))}`,
        );
    }
  }

  #fillBulk(bulk: PartialBulk, bytes: Buffer, offset: number): number {
    const take = Math.min(bulk.target.byteLength - bulk.filled, bytes.byteLength - offset);
    bulk.target.set(bytes.subarray(offset, offset + take), bulk.filled);
    bulk.filled += take;
    if (bulk.filled === bulk.target.byteLength) {
      this.#bulk = undefined;
      this.#awaitTrailer(bulk.target);
    }
    return offset + take;
  }

  #awaitTrailer(value: Uint8Array): void {
    this.#bulkDone = value;
    this.#trailer = 2;
  }

  #readTrailer(bytes: Buffer, offset: number): number {
    while (this.#trailer > 0 && offset < bytes.byteLength) {
      const expected = this.#trailer === 2 ? CR : LF;
      if (bytes[offset] !== expected) throw new RespReplyProtocolError('bulk string without CRLF');
      this.#trailer--;
      offset++;
    }
    if (this.#trailer === 0) {
      const value = this.#bulkDone!;
      this.#bulkDone = undefined;
      this.#complete({ type: 'bulk', value });
    }
    return offset;
  }

  /** A value is complete: it is a reply, or the next item of the innermost open array. */
  #complete(value: RespValue): void {
    let done = value;
    for (;;) {
      const frame = this.#stack[this.#stack.length - 1];
      if (!frame) {
        this.#replies.push(done);
        return;
      }
      frame.items.push(done);
      if (--frame.remaining > 0) return;
      this.#stack.pop();
      done = { type: 'array', items: frame.items };
    }
  }
}

/** Reads `-?[0-9]+`, exactly: a `bigint` when the value lies beyond 2^53. */
function integerOf(text: Uint8Array): number | bigint {
  const negative = text[0] === MINUS;
  const first = negative ? 1 : 0;
  if (text.byteLength === first) throw badNumber('integer', text);
  let value = 0;
  for (let i = first; i < text.byteLength; i++) {
    const byte = text[i]!;
    if (byte < ZERO || byte > NINE) throw badNumber('integer', text);
    value = value * 10 + (byte - ZERO);
  }
  if (text.byteLength - first <= EXACT_DIGITS) return negative ? -value : value;
  const exact = BigInt(latin1.decode(text));
  return exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(exact)
    : exact;
}

/** A bulk length or array count: -1 (nil) or a count a buffer can hold. */
function lengthOf(text: Uint8Array): number {
  const value = integerOf(text);
  if (typeof value !== 'number' || value < -1 || value > Number.MAX_SAFE_INTEGER) {
    throw badNumber('length', text);
  }
  return value;
}

function badNumber(what: string, text: Uint8Array): RespReplyProtocolError {
  return new RespReplyProtocolError(`bad ${what} ${JSON.stringify(latin1.decode(text))}`);
}
