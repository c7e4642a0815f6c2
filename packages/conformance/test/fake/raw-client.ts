import { connect, type Socket } from 'node:net';

/** A bare TCP client for poking the fake server byte by byte: no client library in between. */
export interface RawClient {
  readonly socket: Socket;
  /** Everything received so far, as latin1 text (one char per byte). */
  readonly text: string;
  /** Everything received so far. */
  readonly bytes: Buffer;
  write(data: string | Uint8Array): Promise<void>;
  /** Resolves once the text received so far satisfies `done` (or rejects after `timeoutMs`). */
  until(done: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with everything received once the server closes the connection. */
  closed(timeoutMs?: number): Promise<string>;
  destroy(): void;
}

/** Connects to `port` on loopback. */
export function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let ended = false;
    const listeners = new Set<() => void>();
    const notify = () => {
      for (const listener of listeners) listener();
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      notify();
    });
    socket.on('close', () => {
      ended = true;
      notify();
    });
    socket.on('error', () => {});
    const wait = (done: () => boolean, timeoutMs: number, what: string) =>
      new Promise<string>((resolveWait, rejectWait) => {
        const check = () => {
          if (!done()) return;
          cleanup();
          resolveWait(received.toString('latin1'));
        };
        const timer = setTimeout(() => {
          cleanup();
          rejectWait(
            new Error(
              `${what} within ${timeoutMs} ms; received ${JSON.stringify(received.toString('latin1'))}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        socket,
        get text() {
          return received.toString('latin1');
        },
        get bytes() {
          return received;
        },
        write: (data) =>
          new Promise((resolveWrite, rejectWrite) => {
            socket.write(data, (error) => (error ? rejectWrite(error) : resolveWrite()));
          }),
        until: (done, timeoutMs = 5000) =>
          wait(() => done(received.toString('latin1')), timeoutMs, 'the expected reply did not arrive'),
        closed: (timeoutMs = 5000) => wait(() => ended, timeoutMs, 'the server did not close the connection'),
        destroy: () => socket.destroy(),
      });
    });
  });
}

/** A command as RESP: an array of bulk strings. */
export function resp(...args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
