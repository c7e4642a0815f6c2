import type { RespValue } from './resp-value.js';

const utf8 = new TextEncoder();
const CRLF = utf8.encode('\r\n');

/** Renders a `RespValue` as the RESP2 bytes a Redis server would send for it. */
export function encodeResp(value: RespValue): Uint8Array {
  const parts: Uint8Array[] = [];
  append(value, parts);
  return concatBytes(parts);
}

function append(value: RespValue, parts: Uint8Array[]): void {
  switch (value.type) {
    case 'simple':
      parts.push(utf8.encode(`+${oneLine(value.value, 'simple string')}\r\n`));
      return;
    case 'error':
      parts.push(utf8.encode(`-${oneLine(value.message, 'error message')}\r\n`));
      return;
    case 'int':
      parts.push(utf8.encode(`:${integerText(value.value)}\r\n`));
      return;
    case 'bulk': {
      const bytes = typeof value.value === 'string' ? utf8.encode(value.value) : value.value;
      parts.push(utf8.encode(`$${bytes.byteLength}\r\n`), bytes, CRLF);
      return;
    }
    case 'nil':
      parts.push(utf8.encode('$-1\r\n'));
      return;
    case 'nil-array':
      parts.push(utf8.encode('*-1\r\n'));
      return;
    case 'array':
      parts.push(utf8.encode(`*${value.items.length}\r\n`));
      for (const item of value.items) append(item, parts);
      return;
  }
}

// A CR or LF would end the line early and desynchronise the client; a scenario that wants a
// broken frame says so with a `raw` action instead.
function oneLine(text: string, what: string): string {
  if (/[\r\n]/.test(text))
    throw new TypeError(`a RESP ${what} cannot contain CR or LF: ${JSON.stringify(text)}`);
  return text;
}

function integerText(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new TypeError(`a RESP integer must be an integer, got ${value}`);
  }
  return BigInt(value).toString();
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
