import { createServer, type Server, type Socket } from 'node:net';
import { CommandLog, type ReceivedCommand } from './command-log.js';
import { encodeResp } from './resp-encode.js';
import { RespProtocolError, RespRequestParser } from './resp-request-parser.js';
import { type CommandInfo, classifyAction, HANG, type ScriptedServerScript } from './script.js';
import { defaultAction } from './server-defaults.js';

export type { ReceivedCommand } from './command-log.js';
export type {
  CommandInfo,
  DropAction,
  DropAfterAction,
  HangAction,
  RawAction,
  ScriptAction,
  ScriptedServerScript,
} from './script.js';

/** A running scripted fake Redis server on 127.0.0.1. */
export interface ScriptedServer {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The argument vector of every command received so far, in arrival order, name uppercased. */
  readonly commands: readonly (readonly string[])[];
  /** Every command received so far with where it came from and its exact bytes. */
  readonly received: readonly ReceivedCommand[];
  /** How many connections the server has accepted so far. */
  readonly connections: number;
  /** How many of them are still open. */
  readonly openConnections: number;
  /**
   * Resolves with the first received command (already received or still to come) that `matches`;
   * rejects after `timeoutMs` (default 5000) so a case waiting for a command that never comes fails.
   */
  waitForCommand(
    matches: (command: ReceivedCommand) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedCommand>;
  /** Destroys every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Starts a fake Redis server on an ephemeral loopback port that answers each command as `script`
 * says (see `ScriptedServerScript`; without a script, it only knows the handshake commands).
 */
export function startScriptedServer(script: ScriptedServerScript = () => undefined): Promise<ScriptedServer> {
  const log = new CommandLog();
  const sockets = new Set<Socket>();
  let accepted = 0;
  let stopped = false;

  const server = createServer((socket) => {
    // A connection can slip in while close() runs; it must not outlive the server.
    if (stopped) {
      socket.destroy();
      return;
    }
    const connection = accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A client that resets the connection is one of the things the fake exists to provoke.
    socket.on('error', () => {});
    socket.setNoDelay(true);
    serveConnection(socket, connection, portOf(server), script, (command) => log.record(command));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const port = portOf(server);
      let closing: Promise<void> | undefined;
      resolve({
        url: `redis://127.0.0.1:${port}`,
        port,
        get commands() {
          return log.received.map((command) => command.argv);
        },
        get received() {
          return log.received;
        },
        get connections() {
          return accepted;
        },
        get openConnections() {
          return sockets.size;
        },
        waitForCommand: (matches, timeoutMs = 5000) => log.waitFor(matches, timeoutMs),
        close() {
          closing ??= new Promise<void>((resolveClose) => {
            stopped = true;
            log.close();
            for (const socket of sockets) socket.destroy();
            server.close(() => resolveClose());
          });
          return closing;
        },
      });
    });
  });
}

/** Starts a server that accepts connections and never sends a byte (for timeout cases). */
export function startSilentServer(): Promise<ScriptedServer> {
  return startScriptedServer(() => HANG);
}

function serveConnection(
  socket: Socket,
  connection: number,
  port: number,
  script: ScriptedServerScript,
  record: (command: ReceivedCommand) => void,
): void {
  const parser = new RespRequestParser();
  let index = 0;
  let hung = false;
  let closing = false;
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    let commands: Uint8Array[][];
    try {
      commands = parser.push(chunk);
    } catch (error) {
      // Redis answers a protocol error and closes the connection.
      const message = error instanceof RespProtocolError ? error.message : String(error);
      closing = true;
      socket.end(`-ERR Protocol error: ${message.replace(/[\r\n]/g, ' ')}\r\n`);
      return;
    }
    for (const raw of commands) {
      if (socket.destroyed) return;
      const argv = raw.map((arg) => utf8.decode(arg));
      if (argv[0] !== undefined) argv[0] = argv[0].toUpperCase();
      const info: CommandInfo = { connection, index: index++, raw, port };
      record({ ...info, argv });
      if (hung) continue;
      const action = classifyAction(decide(script, argv, info));
      switch (action.kind) {
        case 'reply':
          socket.write(encodeResp(action.value));
          break;
        case 'raw':
          socket.write(bytesOf(action.bytes));
          break;
        case 'drop':
          socket.destroy();
          return;
        case 'drop-after':
          // Destroy only once the bytes are handed to the kernel, so the client reads them first.
          closing = true;
          socket.write(bytesOf(action.bytes), () => socket.destroy());
          return;
        case 'hang':
          hung = true;
          break;
      }
    }
  });
}

function decide(script: ScriptedServerScript, argv: readonly string[], info: CommandInfo) {
  try {
    return script(argv, info) ?? defaultAction(argv, info);
  } catch (error) {
    // A broken script must show up in the case's failure, not as a mysterious hang.
    const message = error instanceof Error ? error.message : String(error);
    return {
      type: 'error',
      message: `ERR the fake server's script threw: ${message.replace(/[\r\n]/g, ' ')}`,
    } as const;
  }
}

function bytesOf(bytes: string | Uint8Array): Uint8Array {
  return typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the fake server has no TCP address');
  return address.port;
}
