import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, opensslAvailable, startFaultProxy } from '../../src/harness/index.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An echo server that also tells when its side of a connection was closed. */
async function echoServer(): Promise<{ port: number; closed: () => number }> {
  let closed = 0;
  const server: Server = createServer((socket) => {
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('close', () => closed++);
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, closed: () => closed };
}

function reader(socket: Socket): () => string {
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check(), what).toBe(true);
}

describe('the fault proxy', () => {
  it('forwards both ways, then strands: the server side closes, the client side stays open and silent', async () => {
    const echo = await echoServer();
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: echo.port } });
    cleanups.push(() => proxy.close());
    expect(proxy.urlFor('redis://:pw@10.1.2.3:6379/2')).toBe(`redis://:pw@127.0.0.1:${proxy.port}/2`);
    const client = connect({ host: '127.0.0.1', port: proxy.port });
    cleanups.push(() => {
      client.destroy();
    });
    const received = reader(client);
    let clientClosed = false;
    client.on('close', () => {
      clientClosed = true;
    });
    client.write('one');
    await until(() => received() === 'one', 'the echo');
    expect(proxy.strand()).toBe(1);
    await until(() => echo.closed() === 1, 'the server side closed');
    client.write('two');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received()).toBe('one');
    expect(clientClosed).toBe(false);
    expect(proxy.stranded).toBe(1);
    // A new connection is forwarded as usual.
    const fresh = connect({ host: '127.0.0.1', port: proxy.port });
    cleanups.push(() => void fresh.destroy());
    const freshReceived = reader(fresh);
    fresh.write('three');
    await until(() => freshReceived() === 'three', 'the new connection is forwarded');
  });

  it('holds what clients send until release(), or drops it with strand()', async () => {
    const echo = await echoServer();
    const proxy = await startFaultProxy({ target: `redis://127.0.0.1:${echo.port}` });
    cleanups.push(() => proxy.close());
    const client = connect({ host: '127.0.0.1', port: proxy.port });
    cleanups.push(() => {
      client.destroy();
    });
    const received = reader(client);
    await once(client, 'connect');
    proxy.hold();
    client.write('held');
    await until(() => proxy.heldBytes === 4, 'the bytes are held');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received()).toBe('');
    proxy.release();
    await until(() => received() === 'held', 'released');
    proxy.hold();
    client.write('lost');
    await until(() => proxy.heldBytes === 4, 'held again');
    proxy.strand();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received()).toBe('held');
  });

  it('holds what the server sends until releaseReplies(), in order; cut() drops every connection and keeps listening', async () => {
    const echo = await echoServer();
    const proxy = await startFaultProxy({ target: `redis://127.0.0.1:${echo.port}` });
    cleanups.push(() => proxy.close());
    expect(proxy.urlFor(`http://127.0.0.1:${echo.port}`)).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(proxy.urlFor(`http://127.0.0.1:${echo.port}/`)).toBe(`http://127.0.0.1:${proxy.port}/`);
    const client = connect({ host: '127.0.0.1', port: proxy.port });
    cleanups.push(() => {
      client.destroy();
    });
    const received = reader(client);
    await once(client, 'connect');
    proxy.holdReplies();
    client.write('a');
    client.write('b');
    await until(() => proxy.heldReplyBytes === 2, 'the replies are held');
    expect(received()).toBe('');
    proxy.releaseReplies();
    await until(() => received() === 'ab', 'released in order');
    expect(proxy.forwarding).toBe(1);
    expect(proxy.cut()).toBe(1);
    await once(client, 'close');
    expect(proxy.forwarding).toBe(0);
    const again = connect({ host: '127.0.0.1', port: proxy.port });
    cleanups.push(() => void again.destroy());
    const againReceived = reader(again);
    again.write('c');
    await until(() => againReceived() === 'c', 'a new connection after cut() is forwarded');
  });

  it('speaks TLS with the given certificate in front of a plaintext server', async (context) => {
    if (!opensslAvailable()) context.skip('openssl is not on PATH');
    const echo = await echoServer();
    const certificate = await createSelfSignedCertificate();
    cleanups.push(() => certificate.remove());
    const proxy = await startFaultProxy({
      target: { host: '127.0.0.1', port: echo.port },
      tls: { cert: certificate.cert, key: certificate.key },
    });
    cleanups.push(() => proxy.close());
    const refused = tlsConnect({ host: '127.0.0.1', port: proxy.port });
    const [error] = (await once(refused, 'error')) as [Error & { code?: string }];
    expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const trusted = tlsConnect({ host: '127.0.0.1', port: proxy.port, ca: certificate.cert });
    cleanups.push(() => void trusted.destroy());
    const received = reader(trusted);
    await once(trusted, 'secureConnect');
    trusted.write('secure');
    await until(() => received() === 'secure', 'the echo over TLS');
  });
});
