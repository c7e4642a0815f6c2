import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listenOnLoopback } from '../harness/listen-on-loopback.js';
import type { RespValue } from './resp-value.js';
import { type CommandInfo, classifyAction, type ScriptAction, type ScriptedServerScript } from './script.js';
import type { ReceivedCommand, ScriptedServer } from './scripted-server.js';
import { defaultAction } from './server-defaults.js';
import {
  type RestEncoding,
  restErrorJson,
  restItemJson,
  restResultJson,
  wantsBase64,
} from './upstash-rest-json.js';
import {
  commandListOf,
  commandOf,
  hasToken,
  parseJsonBody,
  RestRequestError,
  readBody,
  restEndpointOf,
  sendJson,
} from './upstash-rest-request.js';

/** Options of `startUpstashScriptedServer`. */
export interface UpstashScriptedServerOptions {
  /** When set, requests without `Authorization: Bearer <token>` get HTTP 401. Default: any token is accepted. */
  readonly token?: string;
}

const encoder = new TextEncoder();

/**
 * Starts a scripted fake of the Upstash REST API on an ephemeral loopback port (`url` is
 * `http://127.0.0.1:PORT`). It takes the same script as the RESP fake (`startScriptedServer`), so
 * a scenario is written once for both transports, and renders the script's replies as the REST
 * API would (see `restResultJson`): `{ result }`, or HTTP 400 `{ error }` for an error reply to
 * `POST /`; one `{ result }`/`{ error }` per command on `/pipeline`; base64 strings when the
 * client sends `Upstash-Encoding: base64`.
 *
 * The script sees commands as a RESP server would: `POST /` one, `/pipeline` each in turn, and
 * `/multi-exec` as `MULTI`, the commands, then `EXEC`, so a transaction script written for RESP
 * works as it is. The response to `/multi-exec` is built from EXEC's answer: an array gives one
 * entry per command; an error (EXECABORT) or an error answering `MULTI` gives HTTP 400 `{ error }`.
 * `CommandInfo.connection` counts TCP connections, as on the RESP fake (HTTP keep-alive reuses them).
 *
 * Fault actions apply to the whole HTTP exchange and stop it at that command: `{ drop }` destroys
 * the socket without a response, `{ hang }` never answers (the socket stays open), `{ raw }` sends
 * those bytes as a 200 body and ends the response, `{ dropAfter }` sends a 200 with those bytes as
 * the start of the body and then destroys the socket.
 */
export function startUpstashScriptedServer(
  script: ScriptedServerScript = () => undefined,
  options: UpstashScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const received: ReceivedCommand[] = [];
  const sockets = new Map<Socket, { readonly connection: number; nextIndex: number }>();
  const waiters = new Set<{
    matches: (command: ReceivedCommand) => boolean;
    resolve: (c: ReceivedCommand) => void;
  }>();
  let accepted = 0;
  let syncCounter = 0;

  const record = (command: ReceivedCommand) => {
    received.push(command);
    for (const waiter of waiters) {
      if (waiter.matches(command)) {
        waiters.delete(waiter);
        waiter.resolve(command);
      }
    }
  };

  const server = createServer((request, response) => {
    const state = sockets.get(request.socket);
    if (!state) {
      request.socket.destroy();
      return;
    }
    const exchange: Exchange = {
      request,
      response,
      script,
      token: options.token,
      nextSyncToken: () => String(++syncCounter),
      info: (raw) => ({
        connection: state.connection,
        index: state.nextIndex++,
        raw,
        port: portOfServer(server),
      }),
      record,
    };
    serveExchange(exchange).catch(() => request.socket.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { connection: accepted++, nextIndex: 0 });
    socket.once('close', () => sockets.delete(socket));
    // A client that resets the connection is one of the things the fake exists to provoke.
    socket.on('error', () => {});
  });

  return listenOnLoopback(server).then((port) => {
    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      get commands() {
        return received.map((command) => command.argv);
      },
      get received() {
        return [...received];
      },
      get connections() {
        return accepted;
      },
      get openConnections() {
        return sockets.size;
      },
      waitForCommand(matches, timeoutMs = 5000) {
        const found = received.find(matches);
        if (found) return Promise.resolve(found);
        return new Promise((resolveWait, rejectWait) => {
          const waiter = {
            matches,
            resolve: (command: ReceivedCommand) => {
              clearTimeout(timer);
              resolveWait(command);
            },
          };
          const timer = setTimeout(() => {
            waiters.delete(waiter);
            rejectWait(
              new Error(`the fake server did not receive the awaited command within ${timeoutMs} ms`),
            );
          }, timeoutMs);
          waiters.add(waiter);
        });
      },
      close() {
        closing ??= new Promise<void>((resolveClose) => {
          for (const socket of sockets.keys()) socket.destroy();
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        return closing;
      },
    } satisfies ScriptedServer;
  });
}

interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly script: ScriptedServerScript;
  readonly token: string | undefined;
  readonly nextSyncToken: () => string;
  readonly info: (raw: readonly Uint8Array[]) => CommandInfo;
  readonly record: (command: ReceivedCommand) => void;
}

/** A command's fate: its reply, or the fault that ended the exchange (already carried out). */
type Outcome = { readonly reply: RespValue } | { readonly ended: true };

async function serveExchange(exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  const reply = (status: number, json: string) => sendJson(response, status, json, exchange.nextSyncToken());
  const encoding: RestEncoding = { base64: wantsBase64(request.headers['upstash-encoding']) };
  try {
    const endpoint = restEndpointOf(request);
    if (exchange.token !== undefined && !hasToken(request, exchange.token)) {
      throw new RestRequestError(401, 'Unauthorized');
    }
    const json = parseJsonBody(await readBody(request));
    switch (endpoint) {
      case 'command': {
        const outcome = ask(exchange, commandOf(json));
        if (!('reply' in outcome)) return;
        if (outcome.reply.type === 'error') reply(400, restErrorJson(outcome.reply.message));
        else reply(200, `{"result":${restResultJson(outcome.reply, encoding)}}`);
        return;
      }
      case 'pipeline': {
        const items: string[] = [];
        for (const argv of commandListOf(json)) {
          const outcome = ask(exchange, argv);
          if (!('reply' in outcome)) return;
          items.push(restItemJson(outcome.reply, encoding));
        }
        reply(200, `[${items.join(',')}]`);
        return;
      }
      case 'multi-exec': {
        const commands = commandListOf(json);
        const multi = ask(exchange, ['MULTI']);
        if (!('reply' in multi)) return;
        for (const argv of commands) {
          // Queueing answers only matter through EXEC's (EXECABORT after a refusal), as in Redis.
          if (!('reply' in ask(exchange, argv))) return;
        }
        const exec = ask(exchange, ['EXEC']);
        if (!('reply' in exec)) return;
        if (multi.reply.type === 'error') reply(400, restErrorJson(multi.reply.message));
        else if (exec.reply.type === 'error') reply(400, restErrorJson(exec.reply.message));
        else if (exec.reply.type === 'array') {
          reply(200, `[${exec.reply.items.map((item) => restItemJson(item, encoding)).join(',')}]`);
        } else reply(400, restErrorJson('EXECABORT Transaction discarded'));
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof RestRequestError)) throw error;
    reply(error.status, restErrorJson(error.message));
  }
}

/** Records one command, asks the script, and carries out a fault action if it says so. */
function ask(exchange: Exchange, argv: readonly string[]): Outcome {
  const shown = [...argv];
  if (shown[0] !== undefined) shown[0] = shown[0].toUpperCase();
  const info = exchange.info(argv.map((arg) => encoder.encode(arg)));
  exchange.record({ ...info, argv: shown });
  const action = classifyAction(decide(exchange.script, shown, info));
  const { response } = exchange;
  switch (action.kind) {
    case 'reply':
      return { reply: action.value };
    case 'raw':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(bytesOf(action.bytes));
      return { ended: true };
    case 'drop':
      response.socket?.destroy();
      return { ended: true };
    case 'drop-after':
      response.writeHead(200, { 'content-type': 'application/json' });
      // Destroy only once the bytes are handed to the kernel, so the client reads them first.
      response.write(bytesOf(action.bytes), () => response.socket?.destroy());
      return { ended: true };
    case 'hang':
      return { ended: true };
  }
}

function decide(script: ScriptedServerScript, argv: readonly string[], info: CommandInfo): ScriptAction {
  try {
    return script(argv, info) ?? defaultAction(argv, info);
  } catch (error) {
    // A broken script must show up in the case's failure, not as a mysterious hang.
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'error', message: `ERR the fake server's script threw: ${message}` };
  }
}

function bytesOf(bytes: string | Uint8Array): Uint8Array {
  return typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
}

function portOfServer(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}
