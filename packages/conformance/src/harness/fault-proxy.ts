import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { listenOnLoopback } from './listen-on-loopback.js';

/** Where a fault proxy forwards to. */
export interface FaultProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** Options of `startFaultProxy`. */
export interface StartFaultProxyOptions {
  /**
   * What the proxy forwards to: a `host`/`port`, or the URL of the server (any scheme: `redis://`
   * for a redis-server, `http://` for a REST bridge; only host and port are read).
   */
  readonly target: FaultProxyTarget | string | URL;
  /**
   * Accept TLS with this certificate (PEM) and forward plain TCP: a TLS endpoint in front of a
   * plaintext server, e.g. one whose certificate the client does not trust.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** A running fault proxy. */
export interface FaultProxy {
  /** The loopback port the proxy listens on. */
  readonly port: number;
  /** How many client connections the proxy has accepted so far. */
  readonly accepted: number;
  /** How many client connections are forwarded right now (stranded ones not counted). */
  readonly forwarding: number;
  /** How many client connections are stranded right now (open, and silent for good). */
  readonly stranded: number;
  /** How many bytes clients sent since `hold()` that the server has not been given. */
  readonly heldBytes: number;
  /** How many bytes the server sent since `holdReplies()` that clients have not been given. */
  readonly heldReplyBytes: number;
  /**
   * `url` with its host and port replaced by the proxy's, so a client given it connects through
   * the proxy with everything else (scheme, credentials, database, path) unchanged.
   */
  urlFor(url: string | URL): string;
  /**
   * Stops passing on what clients send, on every connection, new ones included: the bytes are
   * held (see `heldBytes`), so a command sent now is surely on the wire and unanswered when
   * `strand()` follows. `release()` passes them on after all.
   */
  hold(): void;
  /** Ends `hold()`: what was held goes to the server, and forwarding carries on. */
  release(): void;
  /**
   * Stops passing on what the server sends, on every connection, new ones included: commands
   * reach the server and run, their replies are kept in order (see `heldReplyBytes`), so a client
   * times out for certain, never because a machine is slow. A server that closes meanwhile is seen
   * closing only after `releaseReplies()`.
   */
  holdReplies(): void;
  /** Ends `holdReplies()`: the kept replies reach their clients late, as after a stalled server. */
  releaseReplies(): void;
  /**
   * Destroys every connection through the proxy, stranded ones included, as a server restart or a
   * network reset would; the proxy keeps listening, so clients can reconnect. Returns how many
   * client connections were cut.
   */
  cut(): number;
  /**
   * Makes every connection forwarded right now half-open, as a peer that vanished without a FIN
   * or RST does (a dead host, an expired NAT or load-balancer entry): the server side is closed,
   * the client side stays open and is never answered again (what the client sends, or sent while
   * held, never reaches the server). Ends `hold()`; connections made afterwards are forwarded as
   * usual. Returns how many connections were stranded.
   */
  strand(): number;
  /** Closes every connection (stranded ones included) and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly server: Socket;
  /** What the client sent while the proxy held, not yet given to the server. */
  held: Buffer[];
  /** What the server sent while the proxy held replies, not yet given to the client. */
  replies: Buffer[];
  /** The server side ended while replies were held: end the pair once they are passed on. */
  serverGone: boolean;
}

/**
 * Starts a TCP proxy on 127.0.0.1 in front of a real server, for cases about connections that
 * die silently: `strand()` turns every live connection half-open. The client's operating system
 * still acknowledges what the client writes (the proxy's end of the connection is open), so the
 * client sees exactly what it sees when the peer is gone: nothing, for as long as it waits.
 */
export function startFaultProxy(options: StartFaultProxyOptions): Promise<FaultProxy> {
  const target = targetOf(options.target);
  const forwarding = new Set<Pair>();
  const stranded = new Set<Socket>();
  let accepted = 0;
  let stopped = false;
  let holding = false;
  let heldBytes = 0;
  let holdingReplies = false;
  let heldReplyBytes = 0;

  const onConnection = (client: Socket) => {
    if (stopped) {
      client.destroy();
      return;
    }
    accepted++;
    client.setNoDelay(true);
    const upstream = tcpConnect({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    const pair: Pair = { client, server: upstream, held: [], replies: [], serverGone: false };
    forwarding.add(pair);
    // Either side failing (a reset, the server going away) ends the pair, as a plain TCP path would.
    const end = () => {
      if (!forwarding.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    const serverEnded = () => {
      // The server's end reaches the client after its bytes, so not while they are held.
      if (pair.replies.length > 0) pair.serverGone = true;
      else end();
    };
    client.on('error', end);
    upstream.on('error', serverEnded);
    client.on('close', end);
    upstream.on('close', serverEnded);
    client.on('data', (chunk: Buffer) => {
      if (!holding) {
        upstream.write(chunk);
        return;
      }
      pair.held.push(chunk);
      heldBytes += chunk.byteLength;
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!holdingReplies) {
        client.write(chunk);
        return;
      }
      pair.replies.push(chunk);
      heldReplyBytes += chunk.byteLength;
    });
  };
  const cutAll = (): number => {
    const cut = forwarding.size + stranded.size;
    for (const { client, server: upstream } of forwarding) {
      client.destroy();
      upstream.destroy();
    }
    forwarding.clear();
    for (const client of stranded) client.destroy();
    stranded.clear();
    return cut;
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onConnection)
    : createServer(onConnection);
  // A client that refuses the certificate ends its TLS handshake; that is what such cases provoke.
  server.on('tlsClientError', () => {});

  return listenOnLoopback(server).then((port): FaultProxy => {
    let closing: Promise<void> | undefined;
    return {
      port,
      get accepted() {
        return accepted;
      },
      get forwarding() {
        return forwarding.size;
      },
      get stranded() {
        return stranded.size;
      },
      get heldBytes() {
        return heldBytes;
      },
      get heldReplyBytes() {
        return heldReplyBytes;
      },
      urlFor(url) {
        const proxied = new URL(url);
        proxied.hostname = '127.0.0.1';
        proxied.port = String(port);
        // URL adds a slash to an http URL without a path; keep the caller's own spelling.
        const text = proxied.toString();
        return String(url).endsWith('/') || proxied.pathname !== '/' ? text : text.replace(/\/$/, '');
      },
      hold() {
        holding = true;
      },
      release() {
        holding = false;
        heldBytes = 0;
        for (const pair of forwarding) {
          for (const chunk of pair.held.splice(0)) pair.server.write(chunk);
        }
      },
      holdReplies() {
        holdingReplies = true;
      },
      releaseReplies() {
        holdingReplies = false;
        heldReplyBytes = 0;
        for (const pair of [...forwarding]) {
          for (const chunk of pair.replies.splice(0)) pair.client.write(chunk);
          // Its 'close' then ends the pair as usual.
          if (pair.serverGone) pair.client.end();
        }
      },
      cut: cutAll,
      strand() {
        holding = false;
        heldBytes = 0;
        const pairs = [...forwarding];
        forwarding.clear();
        for (const pair of pairs) strandPair(pair, stranded);
        return pairs.length;
      },
      close() {
        closing ??= new Promise<void>((resolveClose) => {
          stopped = true;
          cutAll();
          server.close(() => resolveClose());
        });
        return closing;
      },
    };
  });
}

/**
 * Cuts a forwarded pair so that only the client's side survives, silent: nothing the server sends
 * reaches the client any more, and nothing the client sends (or sent while held) reaches the server.
 */
function strandPair(pair: Pair, stranded: Set<Socket>): void {
  const { client, server: upstream } = pair;
  pair.held = [];
  pair.replies = [];
  upstream.removeAllListeners('data');
  upstream.destroy();
  client.removeAllListeners('data');
  client.removeAllListeners('close');
  client.removeAllListeners('error');
  client.pause();
  stranded.add(client);
  // A client that gives up on the connection (destroys it) simply leaves.
  client.on('error', () => {});
  client.on('close', () => stranded.delete(client));
}

function targetOf(target: StartFaultProxyOptions['target']): FaultProxyTarget {
  if (typeof target === 'object' && !(target instanceof URL)) return target;
  const url = new URL(target);
  const port = Number(url.port || defaultPort(url.protocol));
  return { host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port };
}

function defaultPort(protocol: string): number {
  switch (protocol) {
    case 'http:':
      return 80;
    case 'https:':
      return 443;
    default:
      return 6379;
  }
}
