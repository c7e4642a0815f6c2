import { createIoredisDriverFromUrl } from '@redis-service/adapter-ioredis';
import { startRedisServer } from '@redis-service/conformance/harness';
import type { Send } from './send.js';

/** A private redis-server started through the kit's harness, and a way to send it commands. */
export interface PrivateServer {
  readonly send: Send;
  /** Closes the connection and stops the server. */
  close(): Promise<void>;
}

/** Starts a private redis-server (the `redis-server` on PATH, or REDIS_SERVER_BIN) and connects to it. */
export async function openPrivateServer(): Promise<PrivateServer> {
  const server = await startRedisServer();
  const driver = createIoredisDriverFromUrl({ url: server.url });
  return {
    send: (command) => driver.send(command),
    async close() {
      await driver.close();
      await server.stop();
    },
  };
}

/** Runs `use` against a private server and stops the server again, whatever `use` does. */
export async function withPrivateServer<T>(use: (send: Send) => Promise<T>): Promise<T> {
  const server = await openPrivateServer();
  try {
    return await use(server.send);
  } finally {
    await server.close();
  }
}
