import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { RedisReply } from '@redis-service/core';
import { expect } from 'vitest';

/** A key of this test run, so tests never touch anything else on their server. */
export function uniqueKey(name: string): string {
  return `nr-test:${randomUUID()}:${name}`;
}

/** A TCP server on a free loopback port that accepts connections and never answers. */
export interface SilentServer {
  readonly url: string;
  /** How many connections it accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts a `SilentServer`: the shape of a Redis that accepts the connection and then hangs. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Milliseconds from now until `promise` settles, and how it settled. */
export async function timed<T>(
  promise: Promise<T>,
): Promise<{ readonly ms: number; readonly value?: T; readonly error?: unknown }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

/** A reply with every byte array as a plain `Uint8Array`, so `toEqual` compares contents, not prototypes. */
export function plain(reply: RedisReply): RedisReply {
  if (reply instanceof Uint8Array) return new Uint8Array(reply);
  if (Array.isArray(reply)) return reply.map(plain);
  return reply;
}

/** Asserts `error` is an instance of `kind` and returns it typed. */
export function expectError<E extends Error>(error: unknown, kind: abstract new (...args: never[]) => E): E {
  expect(error).toBeInstanceOf(kind);
  return error as E;
}
