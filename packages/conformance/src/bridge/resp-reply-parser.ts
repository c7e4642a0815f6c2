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
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

interface Parsed {
  readonly value: RespValue;
  readonly next: number;
}

/**
 * Reads RESP2 replies from a server's byte stream, split anywhere across TCP chunks. Bulk strings
 * stay bytes (a REST front end may have to base64 them exactly) and integers keep every digit
 * (a `bigint` beyond 2^53), so nothing the server said is lost before it is rendered.
 */
export class RespReplyParser {
  #pending: Uint8Array = new Uint8Array(0);

  /** Adds a chunk and returns the replies it completed, in order. */
  push(chunk: Uint8Array): RespValue[] {
    const buffer = this.#pending.byteLength === 0 ? chunk : join(this.#pending, chunk);
    const replies: RespValue[] = [];
    let offset = 0;
    while (offset < buffer.byteLength) {
      const parsed = parseValue(buffer, offset);
      if (!parsed) break;
      replies.push(parsed.value);
      offset = parsed.next;
    }
    this.#pending = buffer.slice(offset);
    return replies;
  }
}

function parseValue(buffer: Uint8Array, start: number): Parsed | undefined {
  const line = readLine(buffer, start);
  if (!line) return undefined;
  const rest = line.text.slice(1);
  switch (line.text[0]) {
    case '+':
      return { value: { type: 'simple', value: utf8.decode(line.bytes.subarray(1)) }, next: line.next };
    case '-':
      return { value: { type: 'error', message: utf8.decode(line.bytes.subarray(1)) }, next: line.next };
    case ':':
      return { value: { type: 'int', value: integerOf(rest) }, next: line.next };
    case '$': {
      const length = lengthOf(rest);
      if (length < 0) return { value: { type: 'nil' }, next: line.next };
      const end = line.next + length;
      if (buffer.byteLength < end + 2) return undefined;
      if (buffer[end] !== CR || buffer[end + 1] !== LF)
        throw new RespReplyProtocolError('bulk string without CRLF');
      return { value: { type: 'bulk', value: buffer.slice(line.next, end) }, next: end + 2 };
    }
    case '*': {
      const count = lengthOf(rest);
      if (count < 0) return { value: { type: 'nil-array' }, next: line.next };
      const items: RespValue[] = [];
      let offset = line.next;
      for (let i = 0; i < count; i++) {
        const item = parseValue(buffer, offset);
        if (!item) return undefined;
        items.push(item.value);
        offset = item.next;
      }
      return { value: { type: 'array', items }, next: offset };
    }
    default:
      throw new RespReplyProtocolError(`unexpected reply type byte ${JSON.stringify(line.text[0])}`);
  }
}

function readLine(
  buffer: Uint8Array,
  start: number,
): { readonly text: string; readonly bytes: Uint8Array; readonly next: number } | undefined {
  for (let i = start; i + 1 < buffer.byteLength; i++) {
    if (buffer[i] === CR && buffer[i + 1] === LF) {
      const bytes = buffer.subarray(start, i);
      return { text: latin1.decode(bytes), bytes, next: i + 2 };
    }
  }
  return undefined;
}

function integerOf(text: string): number | bigint {
  if (!/^-?\d+$/.test(text)) throw new RespReplyProtocolError(`bad integer ${JSON.stringify(text)}`);
  const value = BigInt(text);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

function lengthOf(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespReplyProtocolError(`bad length ${JSON.stringify(text)}`);
  return Number(text);
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
