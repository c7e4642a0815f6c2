import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the REST API refuses as a whole, with the HTTP status and `{ error }` text to answer. */
export class RestRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestRequestError';
  }
}

/** The three endpoints @upstash/redis posts to. */
export type RestEndpoint = 'command' | 'pipeline' | 'multi-exec';

/** Which endpoint a request is for, or throws a 4xx `RestRequestError`. */
export function restEndpointOf(request: IncomingMessage): RestEndpoint {
  if (request.method !== 'POST') {
    throw new RestRequestError(405, `ERR method ${request.method ?? '?'} is not supported, use POST`);
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  switch (path) {
    case '':
      return 'command';
    case '/pipeline':
      return 'pipeline';
    case '/multi-exec':
      return 'multi-exec';
    default:
      throw new RestRequestError(400, `ERR unsupported endpoint ${JSON.stringify(path)}`);
  }
}

/**
 * Whether the request carries `token`: as `Authorization: Bearer <token>` or, as the service also
 * allows, a `_token` query parameter. Compared in constant time.
 */
export function hasToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('_token') ?? undefined;
  const presented = bearer ?? query;
  return presented !== undefined && sameSecret(presented, token);
}

/** How long a refused body may go on arriving (and be dropped) before its connection is dropped. */
const REFUSED_BODY_LINGER_MS = 5_000;

/**
 * Reads the whole request body, or rejects with a 413 `RestRequestError` (`ERR max request size
 * exceeded`, as Upstash words it) as soon as it is known to exceed `maxBytes`: from its
 * `Content-Length`, else when the bytes so far pass the limit. What follows is read and dropped,
 * never kept, so that the client still receives the 413 (closing with its bytes unread would reset
 * the connection under the answer); a body still arriving `lingerMs` later has its connection
 * destroyed.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes = Number.POSITIVE_INFINITY,
  lingerMs = REFUSED_BODY_LINGER_MS,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | undefined = [];
    let length = 0;
    const refuse = () => {
      chunks = undefined;
      reject(new RestRequestError(413, `ERR max request size exceeded. Limit: ${maxBytes} bytes`));
      const linger = setTimeout(() => request.destroy(), lingerMs);
      linger.unref();
      request.once('close', () => clearTimeout(linger));
    };
    if (Number(request.headers['content-length']) > maxBytes) refuse();
    request.on('data', (chunk: Buffer) => {
      if (chunks === undefined) return;
      length += chunk.byteLength;
      if (length > maxBytes) refuse();
      else chunks.push(chunk);
    });
    request.once('end', () => {
      if (chunks !== undefined) resolve(Buffer.concat(chunks, length));
    });
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('the client went away before its request body was complete'));
    });
  });
}

/** The argument vector of a `POST /` body: a non-empty JSON array of strings and numbers. */
export function commandOf(json: unknown): string[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new RestRequestError(
      400,
      'ERR the request body must be a non-empty JSON array: [command, ...args]',
    );
  }
  return json.map((arg, i) => {
    if (typeof arg === 'string') return arg;
    // JSON numbers and booleans are sent to Redis as their text, as the service does.
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new RestRequestError(
      400,
      `ERR argument ${i} must be a string or a number, got ${JSON.stringify(arg)}`,
    );
  });
}

/** The commands of a `/pipeline` or `/multi-exec` body: a non-empty JSON array of argument arrays. */
export function commandListOf(json: unknown): string[][] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new RestRequestError(400, 'ERR the request body must be a non-empty JSON array of commands');
  }
  return json.map((command) => commandOf(command));
}

/** Parses a JSON request body, or throws a 400 `RestRequestError`. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RestRequestError(400, 'ERR the request body is not valid JSON');
  }
}

/**
 * Sends a JSON response. Every response carries an `upstash-sync-token`, which @upstash/redis
 * stores and sends back on its next request (its read-your-writes mode): one server with no
 * replicas has nothing to wait for, so any fresh value will do.
 */
export function sendJson(response: ServerResponse, status: number, json: string, syncToken: string): void {
  response.writeHead(status, jsonHeaders(Buffer.byteLength(json), syncToken));
  response.end(json);
}

/** The headers of a JSON response of `byteLength` bytes (see `sendJson`). */
export function jsonHeaders(byteLength: number, syncToken: string): Record<string, string | number> {
  return {
    'content-type': 'application/json',
    'content-length': byteLength,
    'upstash-sync-token': syncToken,
  };
}

function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
