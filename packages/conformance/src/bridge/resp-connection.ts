import { connect, type Socket } from 'node:net';
import type { RespValue } from '../fake/resp-value.js';
import { encodeCommands, type RespArg } from './resp-command-encoder.js';
import { RespReplyParser } from './resp-reply-parser.js';

export type { RespArg } from './resp-command-encoder.js';

/** The connection to Redis failed or was lost; every command waiting on it rejects with this. */
export class RespConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RespConnectionError';
  }
}

/** The commands of one `sendAll`, waiting for their replies: one entry however many commands. */
interface Batch {
  readonly expected: number;
  readonly replies: RespValue[];
  readonly resolve: (replies: RespValue[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A minimal RESP2 client over one TCP connection: commands are written as arrays of bulk strings
 * and replies are matched to them in order (Redis answers a connection's commands in order), so
 * several commands may be in flight at once. Error replies resolve as `{ type: 'error' }` values:
 * telling a server error apart from a lost connection is the caller's business.
 */
export class RespConnection {
  readonly #socket: Socket;
  readonly #parser = new RespReplyParser();
  readonly #batches: Batch[] = [];
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
    if (commands.length === 0) return Promise.resolve([]);
    const replies = new Promise<RespValue[]>((resolve, reject) =>
      this.#batches.push({ expected: commands.length, replies: [], resolve, reject }),
    );
    this.#socket.cork();
    for (const piece of encodeCommands(commands)) this.#socket.write(piece);
    this.#socket.uncork();
    return replies;
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
      const batch = this.#batches[0];
      if (!batch) {
        this.#fail(new RespConnectionError('redis sent a reply nobody asked for'));
        this.#socket.destroy();
        return;
      }
      batch.replies.push(reply);
      if (batch.replies.length === batch.expected) {
        this.#batches.shift();
        batch.resolve(batch.replies);
      }
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const batch of this.#batches.splice(0)) batch.reject(this.#failure);
  }
}
