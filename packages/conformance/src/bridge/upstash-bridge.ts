import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RespValue } from '../fake/resp-value.js';
import { type RestEncoding, restErrorJson, wantsBase64, writeRestItem } from '../fake/upstash-rest-json.js';
import {
  commandListOf,
  commandOf,
  hasToken,
  parseJsonBody,
  RestRequestError,
  readBody,
  restEndpointOf,
  sendJson,
} from '../fake/upstash-rest-request.js';
import { JsonPieces, sendJsonPieces } from './json-response.js';
import { parseRedisUrl, type RedisTarget } from './redis-target.js';
import { RespPool } from './resp-pool.js';
import { serveSubscription, sseRouteOf } from './upstash-sse.js';

/** Options of `startUpstashBridge`. */
export interface UpstashBridgeOptions {
  /** The real Redis to serve, `redis://[[user]:password@]host:port[/db]`. */
  readonly redisUrl: string;
  /** The bearer token clients must present. Default: a random one (read it from the result). */
  readonly token?: string;
  /** How many Redis connections the bridge may hold at once. Default 8. */
  readonly poolSize?: number;
  /**
   * The largest request body the bridge accepts, in bytes: a bigger one is answered with HTTP 413
   * `{ "error": "ERR max request size exceeded. Limit: <n> bytes" }` without being kept in memory.
   * A positive integer, or `Infinity` for no limit. Default `DEFAULT_MAX_BODY_BYTES` (10 MiB,
   * the max request size of Upstash's Free and Pay-as-you-go plans).
   */
  readonly maxBodyBytes?: number;
  /**
   * How often a pub/sub event stream with nothing to send carries a `: keep-alive` comment, in
   * milliseconds, so clients can tell a quiet stream from a dead connection. `0`: never.
   * Default 1000.
   */
  readonly sseKeepAliveMs?: number;
}

/** The default `maxBodyBytes`: 10 MiB, as Upstash limits a request on its Free and Pay-as-you-go plans. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A running bridge. */
export interface UpstashBridge {
  /** `http://127.0.0.1:PORT`: the REST URL to give @upstash/redis. */
  readonly url: string;
  /** The bearer token the bridge accepts. */
  readonly token: string;
  /** Stops listening, drops open HTTP connections and closes the Redis connections. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_SSE_KEEP_ALIVE_MS = 1000;

/**
 * Commands that change the state of the connection they run on. The service runs each request on
 * a connection it may share with others, so it does not offer them over REST; neither does the
 * bridge, whose pooled connections must stay interchangeable.
 */
const CONNECTION_STATE_COMMANDS = new Set([
  'AUTH',
  'CLIENT',
  'DISCARD',
  'EXEC',
  'HELLO',
  'MONITOR',
  'MULTI',
  'PSUBSCRIBE',
  'PUNSUBSCRIBE',
  'QUIT',
  'RESET',
  'SELECT',
  'SSUBSCRIBE',
  'SUBSCRIBE',
  'SUNSUBSCRIBE',
  'UNSUBSCRIBE',
  'UNWATCH',
  'WATCH',
]);

/**
 * Starts a local Upstash-compatible REST endpoint on 127.0.0.1 in front of a real redis-server, so
 * the Upstash adapter (and @upstash/redis itself) can be tested without the service. It speaks
 * what @upstash/redis 1.x uses, as the service does:
 *
 * - `POST /` with a JSON argv -> `{ result }`, or HTTP 400 `{ error }` with the server's message;
 * - `POST /pipeline` with a list of argvs -> one `{ result }` or `{ error }` per command (HTTP 200);
 * - `POST /multi-exec` -> MULTI ... EXEC on one connection, one `{ result }`/`{ error }` per command;
 *   a transaction Redis discards (EXECABORT) -> HTTP 400 `{ error }`;
 * - `Authorization: Bearer <token>` (or `?_token=`), else HTTP 401 `{ "error": "Unauthorized" }`;
 * - `Upstash-Encoding: base64` -> strings in results base64-encoded, except a top-level `OK`;
 * - integers as JSON numbers with every digit (beyond 2^53 too: the JSON is written by hand), nil
 *   as `null`; every response carries an `upstash-sync-token` header;
 * - `POST /subscribe/<channel>` and `POST /psubscribe/<pattern>` -> a server-sent event stream of
 *   the messages (see `serveSubscription`), each over a dedicated Redis connection;
 * - a body over `maxBodyBytes` -> HTTP 413 `{ "error": "ERR max request size exceeded. Limit: <n>
 *   bytes" }`, answered as soon as the size is known; the rest of the body is dropped as it
 *   arrives, never kept;
 * - a pub/sub event stream with nothing to send carries a `: keep-alive` comment every
 *   `sseKeepAliveMs`, so clients can tell a quiet stream from a dead one.
 *
 * Replies of any size are read and rendered in time linear in their size: a bulk string is copied
 * once out of the socket's chunks, and a big one goes out to the client as slices of that buffer
 * (or of its base64), never as one JSON string.
 *
 * When Redis cannot be reached the bridge drops the HTTP connection, so the client sees a network
 * failure rather than a reply. Connection-state commands (MULTI, SELECT, SUBSCRIBE, ...) are refused
 * on `/` and `/pipeline` with an `ERR` error, as the service does not run them there either.
 */
export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const target = parseRedisUrl(options.redisUrl);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (
    !(maxBodyBytes === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0))
  ) {
    throw new RangeError(`maxBodyBytes must be a positive integer or Infinity, got ${maxBodyBytes}`);
  }
  const pool = new RespPool(target, options.poolSize ?? 8);
  let syncCounter = 0;
  const nextSyncToken = () => String(++syncCounter);
  const server = createServer((request, response) => {
    const sseKeepAliveMs = options.sseKeepAliveMs ?? DEFAULT_SSE_KEEP_ALIVE_MS;
    handle(request, response, { pool, target, token, maxBodyBytes, sseKeepAliveMs, nextSyncToken }).catch(
      () => {
        // Redis is gone or the reply was unreadable: fail the request the way a dead upstream does.
        response.destroy();
      },
    );
  });
  server.keepAliveTimeout = 5000;
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        pool.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface BridgeContext {
  readonly pool: RespPool;
  readonly target: RedisTarget;
  readonly token: string;
  readonly maxBodyBytes: number;
  readonly sseKeepAliveMs: number;
  readonly nextSyncToken: () => string;
}

async function handle(request: IncomingMessage, response: ServerResponse, ctx: BridgeContext): Promise<void> {
  const reply = (status: number, json: string) => sendJson(response, status, json, ctx.nextSyncToken());
  const sse = sseRouteOf(request);
  if (sse) {
    serveSubscription(request, response, sse, ctx.target, ctx.token, ctx.nextSyncToken, ctx.sseKeepAliveMs);
    return;
  }
  let endpoint: ReturnType<typeof restEndpointOf>;
  let json: unknown;
  try {
    endpoint = restEndpointOf(request);
    if (!hasToken(request, ctx.token)) throw new RestRequestError(401, 'Unauthorized');
    json = parseJsonBody(await readBody(request, ctx.maxBodyBytes));
  } catch (error) {
    if (!(error instanceof RestRequestError)) throw error;
    reply(error.status, restErrorJson(error.message));
    return;
  }
  const encoding: RestEncoding = { base64: wantsBase64(request.headers['upstash-encoding']) };
  const replyPieces = (write: (body: JsonPieces) => void) => {
    const body = new JsonPieces();
    write(body);
    return sendJsonPieces(response, 200, body, ctx.nextSyncToken());
  };
  const replyItems = (values: readonly RespValue[]) =>
    replyPieces((body) => {
      body.text('[');
      values.forEach((value, i) => {
        if (i > 0) body.text(',');
        writeRestItem(value, encoding, body);
      });
      body.text(']');
    });
  try {
    switch (endpoint) {
      case 'command': {
        const argv = commandOf(json);
        refuseConnectionState(argv);
        const value = await ctx.pool.use((connection) => connection.send(argv));
        if (value.type === 'error') reply(400, restErrorJson(value.message));
        else await replyPieces((body) => writeRestItem(value, encoding, body));
        return;
      }
      case 'pipeline':
        await replyItems(await runPipeline(ctx.pool, commandListOf(json)));
        return;
      case 'multi-exec': {
        const outcome = await runTransaction(ctx.pool, commandListOf(json));
        if ('discarded' in outcome) reply(400, restErrorJson(outcome.discarded));
        else await replyItems(outcome.results);
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof RestRequestError)) throw error;
    reply(error.status, restErrorJson(error.message));
  }
}

/** Runs a pipeline on one connection; a refused command gets its own error and the others still run. */
async function runPipeline(pool: RespPool, commands: readonly string[][]): Promise<RespValue[]> {
  const refusals = commands.map(refusalOf);
  const allowed = commands.filter((_, i) => refusals[i] === undefined);
  const replies = allowed.length === 0 ? [] : await pool.use((connection) => connection.sendAll(allowed));
  let next = 0;
  return refusals.map((refusal) =>
    refusal === undefined ? replies[next++]! : { type: 'error', message: refusal },
  );
}

/**
 * Runs MULTI, the commands and EXEC in one write on one connection. Redis answers QUEUED (or a
 * queueing error) per command and then EXEC's array, whose items carry the commands' own errors;
 * a queueing error makes EXEC answer EXECABORT, and the whole transaction is reported discarded.
 */
async function runTransaction(
  pool: RespPool,
  commands: readonly string[][],
): Promise<{ readonly results: readonly RespValue[] } | { readonly discarded: string }> {
  for (const argv of commands) {
    const refusal = refusalOf(argv);
    if (refusal !== undefined) return { discarded: refusal };
  }
  const replies = await pool.use((connection) => connection.sendAll([['MULTI'], ...commands, ['EXEC']]));
  const multi = replies[0]!;
  if (multi.type === 'error') return { discarded: multi.message };
  const exec = replies[replies.length - 1]!;
  if (exec.type === 'error') return { discarded: exec.message };
  if (exec.type !== 'array' || exec.items.length !== commands.length) {
    return { discarded: 'EXECABORT Transaction discarded' };
  }
  return { results: exec.items };
}

function refuseConnectionState(argv: readonly string[]): void {
  const refusal = refusalOf(argv);
  if (refusal !== undefined) throw new RestRequestError(400, refusal);
}

function refusalOf(argv: readonly string[]): string | undefined {
  const name = argv[0]!.toUpperCase();
  return CONNECTION_STATE_COMMANDS.has(name)
    ? `ERR Command is not available over the REST API: '${name.toLowerCase()}'`
    : undefined;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address !== 'object' || address === null) reject(new Error('the bridge has no TCP address'));
      else resolve(address.port);
    });
  });
}
