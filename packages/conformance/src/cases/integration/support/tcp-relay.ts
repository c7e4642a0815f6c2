import { connect, createServer, type Server, type Socket } from 'node:net';
import { announceConnectionsCut } from '../../../faults/connection-cuts.js';

/**
 * A loopback TCP relay in front of the server a case's driver talks to (Redis, or an HTTP bridge):
 * every connection of that driver passes through it, so the case can count them exactly (even on
 * a shared server where CLIENT LIST shows other clients), hold the server's replies back, or cut
 * every connection at once.
 */
export interface TcpRelay {
  /** The target URL with host and port replaced by the relay's (scheme, credentials and path kept). */
  readonly url: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Client connections still open. */
  readonly openConnections: number;
  /** Stops passing the server's bytes on (they are kept, in order); the client's still reach the server. */
  holdReplies(): void;
  /** Passes on what was held and everything after it. */
  releaseReplies(): void;
  /** Destroys every connection through the relay (the kit announces it as a connection cut). */
  cutConnections(): void;
  /** Cuts every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  held: Buffer[];
  /** The server ended its side while replies were held: end the client's once they are passed on. */
  upstreamEnded: boolean;
}

/** Starts a relay to the host and port of `targetUrl` on a free loopback port. */
export function startTcpRelay(targetUrl: string): Promise<TcpRelay> {
  const target = new URL(targetUrl);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || (target.protocol === 'redis:' ? 6379 : 80));
  const pairs = new Set<Pair>();
  let accepted = 0;
  let holding = false;

  const server: Server = createServer((client) => {
    accepted++;
    const upstream = connect({ host, port });
    const pair: Pair = { client, upstream, held: [], upstreamEnded: false };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const destroy = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', destroy);
    upstream.on('error', destroy);
    client.on('close', destroy);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk: Buffer) => {
      if (holding) pair.held.push(chunk);
      else client.write(chunk);
    });
    // The server's end reaches the client after its bytes, so not while they are held.
    upstream.on('end', () => {
      if (holding) pair.upstreamEnded = true;
      else client.end();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        reject(new Error('the relay has no TCP address'));
        return;
      }
      const relayed = new URL(targetUrl);
      relayed.hostname = '127.0.0.1';
      relayed.port = String(address.port);
      let closing: Promise<void> | undefined;
      const cut = () => {
        for (const pair of [...pairs]) {
          pairs.delete(pair);
          pair.client.destroy();
          pair.upstream.destroy();
        }
      };
      resolve({
        // URL adds a slash to an http URL without a path; keep the target's own spelling.
        url: targetUrl.endsWith('/') ? relayed.toString() : relayed.toString().replace(/\/$/, ''),
        get accepted() {
          return accepted;
        },
        get openConnections() {
          let open = 0;
          for (const pair of pairs) if (!pair.client.destroyed) open++;
          return open;
        },
        holdReplies() {
          holding = true;
        },
        releaseReplies() {
          holding = false;
          for (const pair of pairs) {
            for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
            if (pair.upstreamEnded) pair.client.end();
          }
        },
        cutConnections() {
          cut();
          announceConnectionsCut();
        },
        close() {
          closing ??= new Promise<void>((done) => {
            cut();
            server.close(() => done());
          });
          return closing;
        },
      });
    });
  });
}
