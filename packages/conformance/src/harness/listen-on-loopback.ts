import type { Server } from 'node:net';

/** Starts `server` listening on an ephemeral port of 127.0.0.1 and resolves with the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address !== 'object' || address === null) reject(new Error('the server has no TCP address'));
      else resolve(address.port);
    });
  });
}
