import { connect, type Socket } from 'node:net';
import type { RespValue } from '../fake/resp-value.js';
import { RespReplyParser } from './resp-reply-parser.js';

/** One argument of a command sent to Redis: text is sent as its UTF-8 bytes. */
export type RespArg = string | Uint8Array;

/** The connection to Redis failed or was lost; every command waiting on it rejects with this. */
export class RespConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RespConnectionError';
  }
}

interface Waiter {
  readonly resolve: (value: RespValue) => void;
  readonly reject: (error: Error) => void;
}

const encoder = new TextEncoder();

/**
 * A minimal RESP2 client over one TCP connection: commands are written as arrays of bulk strings
 * and replies are matched to them in order (Redis answers a connection's commands in order), so
 * several commands may be in flight at once. Error replies resolve as `{ type: 'error' }` values:
 * telling a server error apart from a lost connection is the caller's business.
 */
export class RespConnection {
  readonly #socket: Socket;
  readonly #parser = new RespReplyParser();
  readonly #waiters: Waiter[] = [];
  #failure: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) =>
      this.#fail(new RespConnectionError(`redis connection error: ${error.message}`, { cause: error })),
    );
    socket.on('close', () => this.#fail(new RespConnectionError('the redis connection closed')));
  }

  /** Connects to `host:port`; rejects when the connection cannot be made within `timeoutMs`. */
  static open(host: string, port: number, timeoutMs = 5000): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new RespConnectionError(`could not connect to redis at ${host}:${port} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new RespConnectionError(`could not connect to redis at ${host}:${port}: ${error.message}`, {
            cause: error,
          }),
        );
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RespConnection(socket));
      });
    });
  }

  /** Whether the connection has failed or been closed (it cannot be used again). */
  get broken(): boolean {
    return this.#failure !== undefined;
  }

  /** Sends one command and resolves with its reply (an error reply included). */
  send(argv: readonly RespArg[]): Promise<RespValue> {
    return this.sendAll([argv]).then((replies) => replies[0]!);
  }

  /** Writes several commands at once (one round trip) and resolves with their replies, in order. */
  sendAll(commands: readonly (readonly RespArg[])[]): Promise<RespValue[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const replies = commands.map(
      () => new Promise<RespValue>((resolve, reject) => this.#waiters.push({ resolve, reject })),
    );
    this.#socket.write(Buffer.concat(commands.flatMap((argv) => encodeCommand(argv))));
    return Promise.all(replies);
  }

  /** Closes the connection; commands still waiting reject. Idempotent. */
  close(): void {
    this.#fail(new RespConnectionError('the redis connection was closed by the bridge'));
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.#parser.push(chunk);
    } catch (error) {
      this.#fail(new RespConnectionError(`unreadable reply from redis: ${(error as Error).message}`));
      this.#socket.destroy();
      return;
    }
    for (const reply of replies) {
      const waiter = this.#waiters.shift();
      if (!waiter) {
        this.#fail(new RespConnectionError('redis sent a reply nobody asked for'));
        this.#socket.destroy();
        return;
      }
      waiter.resolve(reply);
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#failure);
  }
}

function encodeCommand(argv: readonly RespArg[]): Uint8Array[] {
  const parts: Uint8Array[] = [encoder.encode(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const bytes = typeof arg === 'string' ? encoder.encode(arg) : arg;
    parts.push(encoder.encode(`$${bytes.byteLength}\r\n`), bytes, encoder.encode('\r\n'));
  }
  return parts;
}
