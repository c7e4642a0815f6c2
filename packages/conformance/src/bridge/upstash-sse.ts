import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { RespValue } from '../fake/resp-value.js';
import { restErrorJson } from '../fake/upstash-rest-json.js';
import { hasToken, sendJson } from '../fake/upstash-rest-request.js';
import type { RedisTarget } from './redis-target.js';
import { encodeCommands } from './resp-command-encoder.js';
import { RespReplyParser } from './resp-reply-parser.js';

/** Which pub/sub endpoint a request asks for: `/subscribe/<channel>` or `/psubscribe/<pattern>`. */
export interface SseRoute {
  readonly kind: 'subscribe' | 'psubscribe';
  readonly name: string;
}

/** The SSE route of a request path, or undefined when the path is not a pub/sub endpoint. */
export function sseRouteOf(request: IncomingMessage): SseRoute | undefined {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const match = /^\/(subscribe|psubscribe)\/(.+)$/.exec(path);
  if (!match) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[2]!);
  } catch {
    return undefined;
  }
  return { kind: match[1] as SseRoute['kind'], name };
}

/**
 * Serves one Upstash pub/sub stream (`POST /subscribe/<channel>`, `POST /psubscribe/<pattern>`)
 * over a dedicated Redis connection, which SUBSCRIBE turns into a push-only one (the pooled
 * connections could not be shared with it). Each event is one line of comma-separated fields, as
 * the service sends them and @upstash/redis reads them:
 *
 * - `data: subscribe,<channel>,<count>` (`psubscribe,<pattern>,<count>`) once Redis confirmed;
 * - `data: message,<channel>,<message>`, or `data: pmessage,<pattern>,<channel>,<message>`.
 *
 * A message with line breaks is sent as several `data:` lines of one event, which SSE readers join
 * with `\n`. Every `keepAliveMs` without an event the stream carries a `: keep-alive` comment
 * (which SSE readers ignore), so a client can tell a quiet stream from a dead connection. When
 * Redis drops the connection (a restart) the stream ends and the client opens a new one; a client
 * that goes away closes the Redis connection.
 */
export function serveSubscription(
  request: IncomingMessage,
  response: ServerResponse,
  route: SseRoute,
  target: RedisTarget,
  token: string,
  nextSyncToken: () => string,
  keepAliveMs: number,
): void {
  if (request.method !== 'POST') {
    sendJson(response, 405, restErrorJson('ERR use POST'), nextSyncToken());
    return;
  }
  if (!hasToken(request, token)) {
    sendJson(response, 401, restErrorJson('Unauthorized'), nextSyncToken());
    return;
  }
  request.resume(); // the body (an empty JSON array) carries nothing
  const socket = connect({ host: target.host, port: target.port });
  const parser = new RespReplyParser();
  let started = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(keepAlive);
    socket.destroy();
    if (!started) response.destroy();
    else if (!response.writableEnded) response.end();
  };
  response.on('close', () => {
    clearInterval(keepAlive);
    socket.destroy();
  });
  socket.on('error', stop);
  socket.on('close', stop);
  socket.setNoDelay(true);
  socket.on('connect', () => {
    const setup: string[][] = [];
    if (target.password !== undefined) {
      setup.push(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password]);
    }
    setup.push([route.kind.toUpperCase(), route.name]);
    for (const piece of encodeCommands(setup)) socket.write(piece);
  });
  let authPending = target.password !== undefined;
  socket.on('data', (chunk: Buffer) => {
    let replies: RespValue[];
    try {
      replies = parser.push(chunk);
    } catch {
      stop();
      return;
    }
    for (const reply of replies) {
      if (reply.type === 'error') {
        // A refused login is the endpoint refusing the request (401), as for the other routes.
        const status = authPending ? 401 : 400;
        if (!started) sendJson(response, status, restErrorJson(reply.message), nextSyncToken());
        started = true;
        socket.destroy();
        return;
      }
      if (authPending) {
        authPending = false;
        continue;
      }
      const fields = reply.type === 'array' ? reply.items.map(text) : [];
      if (!started) {
        started = true;
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'upstash-sync-token': nextSyncToken(),
        });
        if (keepAliveMs > 0) {
          keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
          keepAlive.unref();
        }
      }
      if (fields.length >= 3) response.write(event(fields.join(',')));
    }
  });
}

function text(value: RespValue): string {
  switch (value.type) {
    case 'bulk':
      return typeof value.value === 'string' ? value.value : Buffer.from(value.value).toString('utf8');
    case 'simple':
      return value.value;
    case 'int':
      return String(value.value);
    default:
      return '';
  }
}

function event(data: string): string {
  return `${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}
