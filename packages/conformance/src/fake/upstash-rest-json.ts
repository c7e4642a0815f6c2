import { type JsonSink, JsonStringSink, writeJsonString } from './json-sink.js';
import type { RespValue } from './resp-value.js';

const encoder = new TextEncoder();

/** How a REST response renders strings: as text, or base64 when the client sent `Upstash-Encoding: base64`. */
export interface RestEncoding {
  readonly base64: boolean;
}

/**
 * Renders one Redis reply as the JSON value the Upstash REST API puts in `result`, as JSON text
 * (built by hand so an integer beyond 2^53 keeps every digit, as the service sends it):
 *
 * - nil and the nil array -> `null`; an integer -> a JSON number; an array -> a JSON array;
 * - a bulk string -> its UTF-8 text (invalid bytes become U+FFFD, as the service does), or its
 *   bytes in base64 under `Upstash-Encoding: base64`;
 * - a simple string -> its text; under base64 it is encoded too, except a top-level `OK`, which the
 *   service (and @upstash/redis's decoder, which special-cases it) leaves as it is;
 * - an error nested in an array (a Lua table holding one) -> its message, rendered as a string.
 */
export function restResultJson(value: RespValue, encoding: RestEncoding): string {
  const sink = new JsonStringSink();
  writeRestResult(value, encoding, sink);
  return sink.toString();
}

/** One entry of a `/pipeline` or `/multi-exec` response: `{"result":...}` or `{"error":"..."}`. */
export function restItemJson(value: RespValue, encoding: RestEncoding): string {
  const sink = new JsonStringSink();
  writeRestItem(value, encoding, sink);
  return sink.toString();
}

/** `restResultJson`, written to a sink piece by piece (a big reply is never one string). */
export function writeRestResult(
  value: RespValue,
  encoding: RestEncoding,
  sink: JsonSink,
  topLevel = true,
): void {
  switch (value.type) {
    case 'nil':
    case 'nil-array':
      sink.text('null');
      return;
    case 'int':
      sink.text(integerText(value.value));
      return;
    case 'bulk':
      writeJsonString(
        typeof value.value === 'string' ? encoder.encode(value.value) : value.value,
        encoding.base64,
        sink,
      );
      return;
    case 'simple':
      if (encoding.base64 && topLevel && value.value === 'OK') sink.text('"OK"');
      else writeJsonString(encoder.encode(value.value), encoding.base64, sink);
      return;
    case 'error':
      writeJsonString(encoder.encode(value.message), encoding.base64, sink);
      return;
    case 'array':
      sink.text('[');
      value.items.forEach((item, i) => {
        if (i > 0) sink.text(',');
        writeRestResult(item, encoding, sink, false);
      });
      sink.text(']');
      return;
  }
}

/** `restItemJson`, written to a sink. */
export function writeRestItem(value: RespValue, encoding: RestEncoding, sink: JsonSink): void {
  if (value.type === 'error') {
    sink.text(restErrorJson(value.message));
    return;
  }
  sink.text('{"result":');
  writeRestResult(value, encoding, sink);
  sink.text('}');
}

/** The body of an error response: `{"error":"<message>"}` (never base64: the client reads it as text). */
export function restErrorJson(message: string): string {
  return JSON.stringify({ error: message });
}

/** Whether a request asked for base64 strings (`Upstash-Encoding: base64`, any case). */
export function wantsBase64(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim().toLowerCase() === 'base64';
}

function integerText(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new TypeError(`a Redis integer must be an integer, got ${value}`);
  }
  return BigInt(value).toString();
}
