import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: the OS picks it, we release it. Another
 * process could take it before we bind again, so callers retry on a bind failure.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the port the OS picked'))));
    });
  });
}

/** A loopback port with nothing listening on it (for fail-fast cases). */
export function closedPort(): Promise<number> {
  return findFreePort();
}
