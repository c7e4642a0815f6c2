/** The client sent bytes no Redis server would accept as a command. */
export class RespProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespProtocolError';
  }
}

const STAR = 0x2a;
const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;
const latin1 = new TextDecoder('latin1');

/**
 * Reads commands from a client's byte stream the way Redis does: RESP arrays of bulk strings
 * (possibly pipelined, possibly split anywhere across TCP chunks) and inline commands
 * (`PING\r\n`). Feed it chunks as they arrive; it returns each command once it is complete.
 */
export class RespRequestParser {
  #pending: Uint8Array = new Uint8Array(0);

  /** Adds a chunk and returns the commands it completed, each as its arguments' exact bytes. */
  push(chunk: Uint8Array): Uint8Array[][] {
    const buffer = this.#pending.byteLength === 0 ? chunk : join(this.#pending, chunk);
    const commands: Uint8Array[][] = [];
    let offset = 0;
    while (offset < buffer.byteLength) {
      const parsed = buffer[offset] === STAR ? parseArray(buffer, offset) : parseInline(buffer, offset);
      if (!parsed) break;
      offset = parsed.next;
      // Redis skips empty commands (`*0`, blank inline lines) without answering.
      if (parsed.args.length > 0) commands.push(parsed.args);
    }
    this.#pending = buffer.slice(offset);
    return commands;
  }

  /** Whether part of a command has arrived but not all of it. */
  get hasPartialCommand(): boolean {
    return this.#pending.byteLength > 0;
  }
}

interface Parsed {
  readonly args: Uint8Array[];
  readonly next: number;
}

function parseArray(buffer: Uint8Array, start: number): Parsed | undefined {
  const header = readLine(buffer, start);
  if (!header) return undefined;
  const count = readCount(header.text.slice(1), 'multibulk length');
  let offset = header.next;
  const args: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (offset >= buffer.byteLength) return undefined;
    if (buffer[offset] !== DOLLAR) {
      throw new RespProtocolError(`expected '$', got '${String.fromCharCode(buffer[offset]!)}'`);
    }
    const lengthLine = readLine(buffer, offset);
    if (!lengthLine) return undefined;
    const length = readCount(lengthLine.text.slice(1), 'bulk length');
    const end = lengthLine.next + length;
    if (end + 2 > buffer.byteLength) return undefined;
    if (buffer[end] !== CR || buffer[end + 1] !== LF) {
      throw new RespProtocolError('a bulk string is not followed by CRLF');
    }
    // A copy, and a plain Uint8Array even when the chunk was a Node Buffer.
    args.push(new Uint8Array(buffer.subarray(lengthLine.next, end)));
    offset = end + 2;
  }
  return { args, next: offset };
}

function parseInline(buffer: Uint8Array, start: number): Parsed | undefined {
  const end = buffer.indexOf(LF, start);
  if (end === -1) return undefined;
  const text = latin1.decode(buffer.subarray(start, end)).replace(/\r$/, '');
  const words = text.split(/[ \t]+/).filter((word) => word.length > 0);
  return { args: words.map((word) => Uint8Array.from(word, (char) => char.charCodeAt(0))), next: end + 1 };
}

function readLine(buffer: Uint8Array, start: number): { text: string; next: number } | undefined {
  const end = buffer.indexOf(CR, start);
  if (end === -1 || end + 1 >= buffer.byteLength) return undefined;
  if (buffer[end + 1] !== LF) throw new RespProtocolError('a line ends in CR without LF');
  return { text: latin1.decode(buffer.subarray(start, end)), next: end + 2 };
}

function readCount(text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`invalid ${what}: '${text}'`);
  const value = Number(text);
  // A negative count is Redis's null array: an empty command.
  return Math.max(value, 0);
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
