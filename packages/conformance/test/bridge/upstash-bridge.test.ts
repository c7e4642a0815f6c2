import type { Redis, RedisConfigNodejs } from '@upstash/redis';
import { describe, expect, it } from 'vitest';
import { startUpstashBridge } from '../../src/bridge/index.js';
import { startRedisServer } from '../../src/harness/index.js';
import { rawClient, useBridge } from './bridge-fixture.js';

const fixture = useBridge();

function client(overrides: Partial<RedisConfigNodejs> = {}): Redis {
  return rawClient(fixture.bridge, overrides);
}

/** A POST straight to the bridge, to see the wire itself. */
async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${fixture.bridge.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fixture.bridge.token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('the Upstash REST bridge, through @upstash/redis', () => {
  it('sets and gets strings, unicode included', async () => {
    const redis = client();
    const value = 'héllo wörld ✓ 日本語 🚀 e\u0301';
    expect(await redis.set('t1:s', value)).toBe('OK');
    expect(await redis.get('t1:s')).toBe(value);
    expect(await redis.get('t1:missing')).toBeNull();
  });

  it('keeps unicode without base64 too', async () => {
    const redis = client({ responseEncoding: false });
    await redis.set('t2:s', 'ünïcødé 🚀');
    expect(await redis.get('t2:s')).toBe('ünïcødé 🚀');
  });

  it('answers integers as numbers', async () => {
    const redis = client();
    expect(await redis.incr('t3:n')).toBe(1);
    expect(await redis.incrby('t3:n', 41)).toBe(42);
  });

  it('runs hash, list and sorted-set commands', async () => {
    const redis = client();
    expect(await redis.hset('t4:h', { a: '1', b: 'two' })).toBe(2);
    expect(await redis.hgetall('t4:h')).toEqual(['a', '1', 'b', 'two']);
    expect(await redis.lpush('t4:l', 'x', 'y', 'z')).toBe(3);
    expect(await redis.lrange('t4:l', 0, -1)).toEqual(['z', 'y', 'x']);
    expect(await redis.zadd('t4:z', { score: 2, member: 'b' }, { score: 1, member: 'a' })).toBe(2);
    expect(await redis.zrange('t4:z', 0, -1, { withScores: true })).toEqual(['a', '1', 'b', '2']);
  });

  it('runs a pipeline with one result or error per command', async () => {
    const redis = client();
    const pipeline = redis.pipeline();
    pipeline.set('t5:a', 'v');
    pipeline.incr('t5:a');
    pipeline.get('t5:a');
    const results = await pipeline.exec({ keepErrors: true });
    expect(results.map((item) => item.result)).toEqual(['OK', undefined, 'v']);
    expect(results[1]!.error).toBe('ERR value is not an integer or out of range');
  });

  it('runs MULTI/EXEC: a failing command reports its error and the others apply', async () => {
    const redis = client();
    const tx = redis.multi();
    tx.set('t6:a', 'v');
    tx.incr('t6:a');
    tx.set('t6:b', 'w');
    const results = await tx.exec({ keepErrors: true });
    expect(results.map((item) => item.result)).toEqual(['OK', undefined, 'OK']);
    expect(results[1]!.error).toBe('ERR value is not an integer or out of range');
    expect(await redis.get('t6:b')).toBe('w');
  });

  it('reports a discarded transaction (EXECABORT) as one error and applies nothing', async () => {
    const redis = client();
    const tx = redis.multi();
    tx.set('t7:a', 'v');
    // GET with two arguments: Redis refuses it at queue time, which discards the transaction.
    (tx.get as (...args: string[]) => unknown)('t7:a', 'extra');
    await expect(tx.exec()).rejects.toThrow(/^EXECABORT Transaction discarded/);
    expect(await redis.exists('t7:a')).toBe(0);
    const raw = await post('/multi-exec', [['SET', 't7:a', 'v'], ['GET']]);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toEqual({ error: expect.stringMatching(/^EXECABORT/) });
  });

  it('runs EVAL and EVALSHA', async () => {
    const redis = client();
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return {1, ARGV[1], redis.status_reply('OK'), {2}}";
    expect(await redis.eval(script, ['t8:k'], ['val'])).toEqual([1, 'val', 'OK', [2]]);
    const sha = await redis.scriptLoad(script);
    expect(await redis.evalsha(sha, ['t8:k'], ['again'])).toEqual([1, 'again', 'OK', [2]]);
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/^NOSCRIPT/);
  });

  it('answers a server error with HTTP 400 and the server message', async () => {
    const redis = client();
    await redis.set('t9:s', 'x');
    await expect(redis.lpush('t9:s', 'y')).rejects.toThrow(
      'WRONGTYPE Operation against a key holding the wrong kind of value, command was: ["lpush","t9:s","y"]',
    );
    const raw = await post('', ['LPUSH', 't9:s', 'y']);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toEqual({
      error: 'WRONGTYPE Operation against a key holding the wrong kind of value',
    });
  });

  it('refuses a wrong or missing token with 401 Unauthorized', async () => {
    await expect(client({ token: 'wrong' }).get('t10:k')).rejects.toThrow(/^Unauthorized/);
    const missing = await fetch(fixture.bridge.url, { method: 'POST', body: '["PING"]' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'Unauthorized' });
    const viaQuery = await fetch(`${fixture.bridge.url}/?_token=${fixture.bridge.token}`, {
      method: 'POST',
      body: '["PING"]',
    });
    expect(await viaQuery.json()).toEqual({ result: 'PONG' });
  });
});

describe('the Upstash REST bridge on the wire', () => {
  it('encodes strings as base64 when asked, except a top-level OK', async () => {
    const b64 = { 'upstash-encoding': 'base64' };
    expect(JSON.parse((await post('', ['SET', 'w1:k', 'bar'], b64)).text)).toEqual({ result: 'OK' });
    expect(JSON.parse((await post('', ['GET', 'w1:k'], b64)).text)).toEqual({ result: 'YmFy' });
    expect(JSON.parse((await post('', ['PING'], b64)).text)).toEqual({ result: 'UE9ORw==' });
    expect(
      JSON.parse((await post('', ['EVAL', "return {redis.status_reply('OK')}", '0'], b64)).text),
    ).toEqual({
      result: ['T0s='],
    });
    expect(JSON.parse((await post('', ['GET', 'w1:k'])).text)).toEqual({ result: 'bar' });
  });

  it('writes integers beyond 2^53 with every digit and nil as null', async () => {
    const raw = await post('', ['INCRBY', 'w2:n', '9007199254740993']);
    expect(raw.text).toBe('{"result":9007199254740993}');
    expect((await post('', ['GET', 'w2:missing'])).text).toBe('{"result":null}');
  });

  it('sends an upstash-sync-token header that changes on every response', async () => {
    const first = await post('', ['PING']);
    const second = await post('', ['PING']);
    expect(first.headers.get('upstash-sync-token')).toBeTruthy();
    expect(second.headers.get('upstash-sync-token')).not.toBe(first.headers.get('upstash-sync-token'));
  });

  it('refuses connection-state commands on / and inside a pipeline', async () => {
    const raw = await post('', ['SELECT', '1']);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text).error).toMatch(/^ERR /);
    const pipeline = JSON.parse((await post('/pipeline', [['SUBSCRIBE', 'c'], ['PING']])).text);
    expect(pipeline[0].error).toMatch(/^ERR /);
    expect(pipeline[1]).toEqual({ result: 'PONG' });
  });

  it('refuses a malformed body with 400', async () => {
    expect((await post('', { not: 'an array' })).status).toBe(400);
    expect((await post('/pipeline', [])).status).toBe(400);
  });

  it('keeps serving after redis restarts', async () => {
    const redis = client();
    await redis.set('w3:k', 'v');
    await fixture.server.restart();
    // The pooled connections died with the old server; the bridge opens new ones.
    let answer: unknown;
    for (let attempt = 0; attempt < 3 && answer === undefined; attempt++) {
      answer = await redis.ping().catch(() => undefined);
    }
    expect(answer).toBe('PONG');
  });

  it('drops the HTTP connection when redis cannot be reached', async () => {
    const lone = await startRedisServer();
    const loneBridge = await startUpstashBridge({ redisUrl: lone.url, token: 't' });
    try {
      await lone.stop();
      const redis = rawClient(loneBridge);
      await expect(redis.ping()).rejects.toThrow(/fetch failed/);
    } finally {
      await loneBridge.close();
    }
  });
});
