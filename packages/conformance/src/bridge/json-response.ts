import type { ServerResponse } from 'node:http';
import type { JsonSink } from '../fake/json-sink.js';
import { jsonHeaders } from '../fake/upstash-rest-request.js';

/** Text is joined into pieces of about this many characters before it becomes a piece of its own. */
const PIECE_CHARS = 64 * 1024;

/**
 * A JSON response body kept as the pieces it was rendered in: small text joined into pieces of
 * about 64 KiB, and the bytes of a big string as they are (the reply's own buffer, not a copy). Its
 * length is counted as it grows, so the body is never joined into one string or buffer.
 */
export class JsonPieces implements JsonSink {
  readonly #pieces: (string | Uint8Array)[] = [];
  #text = '';
  #byteLength = 0;

  text(json: string): void {
    this.#text += json;
    if (this.#text.length >= PIECE_CHARS) this.#flush();
  }

  bytes(json: Uint8Array): void {
    this.#flush();
    this.#pieces.push(json);
    this.#byteLength += json.byteLength;
  }

  /** The pieces and their total length in bytes; write nothing more afterwards. */
  finish(): { readonly pieces: readonly (string | Uint8Array)[]; readonly byteLength: number } {
    this.#flush();
    return { pieces: this.#pieces, byteLength: this.#byteLength };
  }

  #flush(): void {
    if (this.#text === '') return;
    this.#pieces.push(this.#text);
    this.#byteLength += Buffer.byteLength(this.#text, 'utf8');
    this.#text = '';
  }
}

/**
 * Sends a JSON response from its pieces (see `sendJson` for the headers), one piece after the
 * other as the socket drains, so a big body is turned into bytes a piece at a time rather than all
 * at once. Resolves when all is written, or as soon as the client went away.
 */
export async function sendJsonPieces(
  response: ServerResponse,
  status: number,
  body: JsonPieces,
  syncToken: string,
): Promise<void> {
  const { pieces, byteLength } = body.finish();
  response.writeHead(status, jsonHeaders(byteLength, syncToken));
  for (const piece of pieces) {
    if (response.destroyed) return;
    if (!response.write(piece)) await drainedOrClosed(response);
  }
  response.end();
}

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
