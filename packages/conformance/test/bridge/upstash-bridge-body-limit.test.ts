import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, startUpstashBridge, type UpstashBridge } from '../../src/bridge/index.js';
import { RestRequestError, readBody } from '../../src/fake/upstash-rest-request.js';
import { type RedisServerHandle, startRedisServer } from '../../src/harness/index.js';
import { rawClient } from './bridge-fixture.js';

const LIMIT = 1024;

let server: RedisServerHandle;
let bridge: UpstashBridge;
let roomy: UpstashBridge;

beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: server.url, maxBodyBytes: LIMIT });
  roomy = await startUpstashBridge({ redisUrl: server.url });
});

afterAll(async () => {
  await bridge?.close();
  await roomy?.close();
  await server?.stop();
});

/** `["SET", key, "xxx..."]` padded to exactly `bytes` bytes of JSON. */
function setBody(key: string, bytes: number): string {
  const empty = JSON.stringify(['SET', key, '']);
  return JSON.stringify(['SET', key, 'x'.repeat(bytes - empty.length)]);
}

async function post(target: UpstashBridge, body: string, path = '') {
  const response = await fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}` },
    body,
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

/** A chunked POST whose body is still open: resolves with the response while the body keeps coming. */
function openPost(target: UpstashBridge, firstChunk: Buffer) {
  const url = new URL(target.url);
  const request = httpRequest({
    host: url.hostname,
    port: url.port,
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'transfer-encoding': 'chunked' },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (incoming: IncomingMessage) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode!, body: Buffer.concat(chunks).toString() }),
      );
    });
    request.on('error', reject);
  });
  request.write(firstChunk);
  return { request, response };
}

describe('the bridge request-body limit', () => {
  it('defaults to 10 MiB, the max request size of Upstash Free and Pay-as-you-go databases', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
  });

  it('accepts a body of exactly the limit', async () => {
    const body = setBody('limit:exact', LIMIT);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    expect(await post(bridge, body)).toEqual({ status: 200, json: { result: 'OK' } });
  });

  it('answers a bigger body with 413 and a JSON error, and runs nothing', async () => {
    expect(await post(bridge, setBody('limit:over', LIMIT + 1))).toEqual({
      status: 413,
      json: { error: `ERR max request size exceeded. Limit: ${LIMIT} bytes` },
    });
    expect(await post(bridge, '["EXISTS","limit:over"]')).toEqual({ status: 200, json: { result: 0 } });
  });

  it('limits /pipeline and /multi-exec bodies alike', async () => {
    const commands = JSON.stringify(Array.from({ length: 100 }, (_, i) => ['SET', `limit:p${i}`, 'v']));
    expect((await post(bridge, commands, '/pipeline')).status).toBe(413);
    expect((await post(bridge, commands, '/multi-exec')).status).toBe(413);
    expect(await post(bridge, '["EXISTS","limit:p0"]')).toEqual({ status: 200, json: { result: 0 } });
  });

  it('refuses a chunked body as soon as it passes the limit, before the client has finished sending', async () => {
    const { request, response } = openPost(bridge, Buffer.alloc(LIMIT + 1, 'x'));
    try {
      expect(await response).toEqual({
        status: 413,
        body: JSON.stringify({ error: `ERR max request size exceeded. Limit: ${LIMIT} bytes` }),
      });
    } finally {
      request.end();
    }
  });

  it('answers a 50 MB body with 413 rather than a reset connection, and keeps serving', async () => {
    const refused = await post(roomy, JSON.stringify(['SET', 'limit:huge', 'y'.repeat(50 * 1024 * 1024)]));
    expect(refused).toEqual({
      status: 413,
      json: { error: `ERR max request size exceeded. Limit: ${DEFAULT_MAX_BODY_BYTES} bytes` },
    });
    expect(await post(roomy, '["PING"]')).toEqual({ status: 200, json: { result: 'PONG' } });
  });

  it('gives @upstash/redis the error text, as Upstash does', async () => {
    const redis = rawClient(bridge);
    await expect(redis.set('limit:client', 'z'.repeat(LIMIT))).rejects.toThrow(
      /^ERR max request size exceeded/,
    );
  });

  it.each([0, -1, 1.5, Number.NaN, '10' as unknown as number])(
    'refuses maxBodyBytes %s',
    async (maxBodyBytes) => {
      await expect(startUpstashBridge({ redisUrl: server.url, maxBodyBytes })).rejects.toThrow(RangeError);
    },
  );

  it('takes Infinity as no limit', async () => {
    const open = await startUpstashBridge({ redisUrl: server.url, maxBodyBytes: Number.POSITIVE_INFINITY });
    try {
      expect((await post(open, setBody('limit:infinite', 2 * LIMIT))).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('readBody', () => {
  it('drops the connection of a refused body that keeps coming after the linger time', async () => {
    const outcomes: unknown[] = [];
    const http = createServer((request, response) => {
      readBody(request, 16, 50).catch((error: unknown) => {
        outcomes.push(error);
        if (error instanceof RestRequestError) response.writeHead(error.status).end();
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        headers: { 'transfer-encoding': 'chunked' },
      });
      request.on('response', (response) => response.resume());
      const closed = new Promise<void>((resolve) => request.on('close', resolve));
      request.on('error', () => {});
      request.write(Buffer.alloc(32));
      // The body never ends: the server stops reading it and closes the connection.
      const feeding = setInterval(() => request.write(Buffer.alloc(8)), 10);
      try {
        await closed;
      } finally {
        clearInterval(feeding);
      }
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ status: 413 });
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
