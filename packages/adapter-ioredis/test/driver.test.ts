import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { closedPort } from '@redis-service/conformance/harness';
import {
  EndpointRegistry,
  RedisAbortedError,
  RedisClients,
  RedisClosedError,
  RedisConnectionError,
  type RedisDriver,
  RedisReplyError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
  type ServiceFactory,
} from '@redis-service/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIoredisClusterService,
  createIoredisDriver,
  createIoredisDriverFromUrl,
  createIoredisService,
  type IoredisDriver,
} from '../src/index.js';

// ---------------------------------------------------------------------------------------------
// A private redis-server on a free loopback port (the conformance kit has its own harness; this
// file keeps its smoke tests independent of it).

interface LocalRedis {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function startLocalRedis(): Promise<LocalRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await answersPing(port)) return;
      await sleep(50);
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop };
}

/** A TCP server that accepts connections and never writes a byte. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

// ---------------------------------------------------------------------------------------------

let redis: LocalRedis;
const drivers: RedisDriver[] = [];
let keyCounter = 0;
const key = (name: string) => `adapter-ioredis-test:${process.pid}:${++keyCounter}:${name}`;

function driverFor(url = redis.url, commandTimeoutMs?: number): IoredisDriver {
  const driver = createIoredisDriverFromUrl({
    url,
    ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
  });
  drivers.push(driver);
  return driver;
}

beforeAll(async () => {
  redis = await startLocalRedis();
});

afterAll(async () => {
  await Promise.all(drivers.map((driver) => driver.close()));
  await redis?.stop();
});

describe('reply normalization', () => {
  it('normalizes nil, integers, simple and bulk strings, arrays and errors', async () => {
    const driver = driverFor();
    const [k, list, hash] = [key('k'), key('list'), key('hash')];
    expect(await driver.send(['SET', k, 'héllo ✓'])).toBe('OK');
    expect(await driver.send(['PING'])).toBe('PONG');
    expect(await driver.send(['GET', k])).toBe('héllo ✓');
    expect(await driver.send(['GET', key('missing')])).toBeNull();
    expect(await driver.send(['SET', k, ''])).toBe('OK');
    expect(await driver.send(['GET', k])).toBe('');
    expect(await driver.send(['RPUSH', list, 'a', 'b', 3])).toBe(3);
    expect(await driver.send(['LRANGE', list, 0, -1])).toEqual(['a', 'b', '3']);
    expect(await driver.send(['LRANGE', key('empty'), 0, -1])).toEqual([]);
    expect(await driver.send(['HSET', hash, 'f', 'v'])).toBe(1);
    // Lowercase names must not reach ioredis' object-building hgetall transformer.
    expect(await driver.send(['hgetall', hash])).toEqual(['f', 'v']);
    expect(await driver.send(['BLPOP', key('nothing'), '0.01'])).toBeNull();
    expect(await driver.send(['EVAL', "return {1, 'two', {3, 'four'}}", 0])).toEqual([1, 'two', [3, 'four']]);
    expect(await driver.send(['ZADD', key('z'), 1.5, 'm'])).toBe(1);
    expect(await driver.send(['INCRBYFLOAT', key('f'), 1.25])).toBe('1.25');
    const error = await rejection(driver.send(['INCR', list]));
    expect(error).toBeInstanceOf(RedisReplyError);
    expect((error as RedisReplyError).message).toBe(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    expect((error as RedisReplyError).prefix).toBe('WRONGTYPE');
    const scriptError = await rejection(driver.send(['EVAL', "return redis.error_reply('MYERR oops')", 0]));
    expect(scriptError).toBeInstanceOf(RedisReplyError);
    expect((scriptError as RedisReplyError).message).toBe('MYERR oops');
  });

  it('keeps integers beyond 2^53 exact as bigint, and safe ones as number', async () => {
    const driver = driverFor();
    const counter = key('big');
    expect(await driver.send(['INCRBY', counter, 9007199254740993n])).toBe(9007199254740993n);
    expect(await driver.send(['INCRBY', counter, 1])).toBe(9007199254740994n);
    expect(await driver.send(['DECRBY', counter, 9007199254740994n])).toBe(0);
    expect(await driver.send(['INCRBY', counter, '-9223372036854775808'])).toBe(-9223372036854775808n);
    expect(await driver.send(['SET', counter, Number.MAX_SAFE_INTEGER])).toBe('OK');
    expect(await driver.send(['INCR', counter])).toBe(9007199254740992n);
    expect(await driver.send(['DECR', counter])).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('returns bytes when binary is asked, including OK and nested arrays', async () => {
    const driver = driverFor();
    const k = key('bin');
    const ok = await driver.send(['SET', k, 'v'], { binary: true });
    expect(ok).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(ok as Uint8Array).toString()).toBe('OK');
    const list = await driver.send(['EVAL', "return {'a', 1}", 0], { binary: true });
    expect(Array.isArray(list)).toBe(true);
    expect((list as unknown[])[0]).toEqual(Buffer.from('a'));
    expect((list as unknown[])[1]).toBe(1);
  });

  it('round-trips all 256 byte values, sent as a plain Uint8Array', async () => {
    const driver = driverFor();
    const k = key('bytes');
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    // A view into a larger buffer: the driver must send exactly the viewed bytes.
    const padded = new Uint8Array(260);
    padded.set(all, 2);
    expect(await driver.send(['SET', k, padded.subarray(2, 258)])).toBe('OK');
    const back = await driver.send(['GET', k], { binary: true });
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Uint8Array.from(back as Uint8Array)).toEqual(all);
    expect(await driver.send(['STRLEN', k])).toBe(256);
    const [item] = await driver.batch([['GET', k]], { transaction: true, binary: true });
    expect(item?.ok && Uint8Array.from(item.value as Uint8Array)).toEqual(all);
  });

  it('gives the same shapes over a user-built RESP3 client (legacy and resp3 reply mapping)', async () => {
    const resp2 = driverFor();
    const z = key('z');
    const h = key('h');
    const stream = key('stream');
    await resp2.send(['ZADD', z, 1.5, 'm', 3, 'n']);
    await resp2.send(['HSET', h, 'a', '1']);
    await resp2.send(['XADD', stream, '1-1', 'field', 'value']);
    const commands = [
      ['ZRANGE', z, 0, -1, 'WITHSCORES'],
      ['ZSCORE', z, 'm'],
      ['HGETALL', h],
      ['CONFIG', 'GET', 'maxmemory-policy'],
      ['XREAD', 'STREAMS', stream, '0'],
      ['INCRBY', key('n'), 9007199254740993n],
      ['SISMEMBER', key('s'), 'x'],
    ];
    const expected = [];
    for (const command of commands) expected.push(await resp2.send(command));
    expect(expected[0]).toEqual(['m', '1.5', 'n', '3']);
    expect(expected[4]).toEqual([[stream, [['1-1', ['field', 'value']]]]]);
    for (const clientOptions of [
      { protocol: 3 as const, stringNumbers: true },
      { protocol: 3 as const, replyMapping: 'resp3' as const, stringNumbers: true },
    ]) {
      const client = new Redis(redis.port, '127.0.0.1', clientOptions);
      const driver = createIoredisDriver(client);
      drivers.push(driver);
      const results = [];
      for (const command of commands.slice(0, 5)) results.push(await driver.send(command));
      // Scores are RESP3 doubles: text again after the driver's reshaping of nested pairs.
      expect(results).toEqual(expected.slice(0, 5));
      expect(await driver.send(['INCRBY', key('n3'), 9007199254740993n])).toBe(9007199254740993n);
    }
  });

  it('the typed commands whose replies RESP3 reshapes (doubles, nested pairs) decode the same', async () => {
    const z = key('typed-z');
    const h = key('typed-h');
    const geo = key('typed-geo');
    const resp2 = driverFor();
    await resp2.send(['ZADD', z, 1.5, 'm', 3, 'n']);
    await resp2.send(['HSET', h, 'a', '1', 'b', '2']);
    await resp2.send(['GEOADD', geo, 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania']);
    const typed = async (driver: RedisDriver) => {
      const service = new RedisService(driver);
      const zscan = [];
      for await (const item of service.zscan(z)) zscan.push(item);
      return [
        await service.zmscore(z, 'm', 'nobody', 'n'),
        await service.zpopmin(z, 0 + 1),
        await service.zadd(z, { m: 1.5 }),
        await service.zinter([z, z], { withScores: true }),
        (await service.hrandfield(h, 10, { withValues: true })).sort((x, y) =>
          x.field.localeCompare(y.field),
        ),
        await service.geosearch(geo, {
          from: { longitude: 15, latitude: 37 },
          by: { radius: 200, unit: 'km' },
          order: 'asc',
          withCoord: true,
          withDist: true,
          withHash: true,
        }),
        await service.incrByFloat(key('typed-f'), 0.5),
        zscan.sort((x, y) => x.member.localeCompare(y.member)),
      ];
    };
    const expected = await typed(resp2);
    expect(expected[0]).toEqual([1.5, null, 3]);
    await resp2.send(['DEL', key('typed-f')]);
    for (const clientOptions of [
      { protocol: 3 as const, stringNumbers: true },
      { protocol: 3 as const, replyMapping: 'resp3' as const, stringNumbers: true },
    ]) {
      const driver = createIoredisDriver(new Redis(redis.port, '127.0.0.1', clientOptions));
      drivers.push(driver);
      expect(await typed(driver)).toEqual(expected);
      await resp2.send(['DEL', key('typed-f')]);
    }
  });
});

describe('batches', () => {
  it('pipelines: a failing command in the middle gets its own error, the others run', async () => {
    const driver = driverFor();
    const [str, list] = [key('str'), key('list')];
    const results = await driver.batch(
      [
        ['SET', str, 'x'],
        ['RPUSH', list, 'a'],
        ['INCR', list],
        ['GET', str],
      ],
      { transaction: false },
    );
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual({ ok: true, value: 'OK' });
    expect(results[1]).toEqual({ ok: true, value: 1 });
    expect(results[2]?.ok).toBe(false);
    expect(!results[2]?.ok && results[2]?.error).toBeInstanceOf(RedisReplyError);
    expect(!results[2]?.ok && results[2]?.error.message).toMatch(/^WRONGTYPE /);
    expect(results[3]).toEqual({ ok: true, value: 'x' });
  });

  it('transactions: a run-time error stays with its command, the others apply', async () => {
    const driver = driverFor();
    const [str, list] = [key('str'), key('list')];
    const results = await driver.batch(
      [
        ['SET', str, 'x'],
        ['RPUSH', list, 'a'],
        ['INCR', list],
        ['INCRBY', key('n'), 9007199254740993n],
        ['GET', str],
      ],
      { transaction: true },
    );
    expect(results).toHaveLength(5);
    expect(results[0]).toEqual({ ok: true, value: 'OK' });
    expect(results[1]).toEqual({ ok: true, value: 1 });
    expect(!results[2]?.ok && results[2]?.error).toBeInstanceOf(RedisReplyError);
    expect(!results[2]?.ok && results[2]?.error.message).toMatch(/^WRONGTYPE /);
    expect(results[3]).toEqual({ ok: true, value: 9007199254740993n });
    expect(results[4]).toEqual({ ok: true, value: 'x' });
  });

  it('transactions: a queue-time error (EXECABORT) fails every command, the bad one with its own error', async () => {
    const driver = driverFor();
    const str = key('str');
    const results = await driver.batch([['SET', str, 'x'], ['GET'], ['GET', str]], { transaction: true });
    expect(results).toHaveLength(3);
    const errors = results.map((result) => (result.ok ? undefined : result.error));
    for (const error of errors) expect(error).toBeInstanceOf(RedisReplyError);
    expect(errors[0]?.message).toMatch(/^EXECABORT /);
    expect(errors[1]?.message).toMatch(/wrong number of arguments/);
    expect(errors[2]?.message).toMatch(/^EXECABORT /);
    expect(await driver.send(['EXISTS', str])).toBe(0);
  });

  it('an empty batch resolves with no results', async () => {
    expect(await driverFor().batch([], { transaction: true })).toEqual([]);
  });
});

describe('connection failures', () => {
  it('fails fast with RedisConnectionError on a closed port', async () => {
    const port = await freePort();
    const driver = driverFor(`redis://127.0.0.1:${port}`);
    const started = performance.now();
    const error = await rejection(driver.send(['PING']));
    const firstMs = performance.now() - started;
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    await sleep(1000); // now in the reconnect loop
    const again = performance.now();
    const later = await rejection(driver.batch([['PING']], { transaction: false }));
    const laterMs = performance.now() - again;
    expect(later).toBeInstanceOf(RedisConnectionError);
    console.log(
      `[adapter-ioredis] closed port: first command failed in ${firstMs.toFixed(1)} ms, ` +
        `one sent during the reconnect loop in ${laterMs.toFixed(1)} ms`,
    );
    expect(firstMs).toBeLessThan(1000);
    expect(laterMs).toBeLessThan(1000);
  });

  it('ends in RedisTimeoutError against a server that accepts TCP but never answers', async () => {
    const silent = await startSilentServer();
    try {
      const driver = driverFor(`redis://127.0.0.1:${silent.port}`, 300);
      const error = await rejection(driver.send(['PING']));
      expect(error).toBeInstanceOf(RedisTimeoutError);
      expect((error as RedisTimeoutError).timeoutMs).toBe(300);
      const batchError = await rejection(driver.batch([['PING'], ['PING']], { transaction: true }));
      expect(batchError).toBeInstanceOf(RedisTimeoutError);
      await driver.close();
    } finally {
      await silent.close();
    }
  });

  it('reconnects after a server restart', async () => {
    const driver = driverFor();
    expect(await driver.send(['PING'])).toBe('PONG');
    const blocked = rejection(driver.send(['BLPOP', key('never'), 3]));
    await sleep(100);
    await redis.stop();
    // In flight when the server died: failed, not replayed on the next connection.
    expect(await blocked).toBeInstanceOf(RedisConnectionError);
    const down = await rejection(driver.send(['PING']));
    expect(down).toBeInstanceOf(RedisConnectionError);
    await redis.start();
    let reply: unknown;
    for (let attempt = 0; attempt < 50 && reply !== 'PONG'; attempt++) {
      reply = await driver.send(['PING']).catch(() => sleep(100));
    }
    expect(reply).toBe('PONG');
  });

  it('never shows the password of the URL', async () => {
    const port = await freePort();
    const driver = driverFor(`redis://user:s3cret@127.0.0.1:${port}`);
    const error = (await rejection(driver.send(['GET', 'k']))) as Error;
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect(error.message).not.toContain('s3cret');
    expect(error.stack ?? '').not.toContain('s3cret');
    expect(() => createIoredisDriverFromUrl({ url: 'http://user:s3cret@host' })).toThrow(
      RedisValidationError,
    );
    try {
      createIoredisDriverFromUrl({ url: 'redis://user:s3cr/et@[bad' });
    } catch (invalid) {
      expect(invalid).toBeInstanceOf(RedisValidationError);
      expect(String((invalid as Error).stack)).not.toContain('s3cr');
    }
  });

  it('reports a wrong password as RedisConnectionError without the password', async () => {
    const driver = driverFor(`redis://user:s3cret@127.0.0.1:${redis.port}`);
    const error = (await rejection(driver.send(['PING']))) as Error;
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect(error.message).toMatch(/WRONGPASS|AUTH/);
    const { inspect } = await import('node:util');
    expect(inspect(error, { depth: 10 })).not.toContain('s3cret');
  });
});

describe('abort', () => {
  it('stops waiting when the signal fires, with RedisAbortedError', async () => {
    const driver = driverFor();
    const controller = new AbortController();
    const pending = rejection(driver.send(['BLPOP', key('wait'), '0.3'], { signal: controller.signal }));
    controller.abort();
    expect(await pending).toBeInstanceOf(RedisAbortedError);
    expect(await rejection(driver.send(['PING'], { signal: controller.signal }))).toBeInstanceOf(
      RedisAbortedError,
    );
    expect(await driver.send(['PING'])).toBe('PONG');
  });
});

describe('close', () => {
  it('rejects 100 commands in flight with RedisClosedError, and later ones at once', async () => {
    const driver = createIoredisDriverFromUrl({ url: redis.url });
    expect(await driver.send(['PING'])).toBe('PONG');
    const inflight = Array.from({ length: 100 }, (_, index) =>
      rejection(driver.send(['SET', key(`c${index}`), index])),
    );
    const closing = driver.close();
    expect(driver.close()).toBe(closing);
    const errors = await Promise.all(inflight);
    for (const error of errors) expect(error).toBeInstanceOf(RedisClosedError);
    await closing;
    expect(await rejection(driver.send(['PING']))).toBeInstanceOf(RedisClosedError);
    expect(await rejection(driver.batch([['PING']], { transaction: false }))).toBeInstanceOf(
      RedisClosedError,
    );
    expect(driver.client.status).toBe('end');
  });

  it('closes a driver whose server never answers, and one between reconnect attempts', async () => {
    const silent = await startSilentServer();
    try {
      const driver = createIoredisDriverFromUrl({
        url: `redis://127.0.0.1:${silent.port}`,
        commandTimeoutMs: 0,
      });
      const pending = rejection(driver.send(['PING']));
      await sleep(50);
      await driver.close();
      expect(await pending).toBeInstanceOf(RedisClosedError);
    } finally {
      await silent.close();
    }
    const dead = createIoredisDriverFromUrl({ url: `redis://127.0.0.1:${await freePort()}` });
    await sleep(300);
    const started = performance.now();
    await dead.close();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('service factory', () => {
  it('works right after creation and as a RedisClients factory for an EndpointSpec', async () => {
    const registry = new EndpointRegistry([
      { id: 'main', kind: 'ioredis', url: redis.url, keyPrefix: key('svc:'), commandTimeoutMs: 2000 },
    ]);
    await using clients = new RedisClients({ registry, factories: { ioredis: createIoredisService } });
    const service = clients.get('main');
    // No await before the first command: it must wait for the connection, not fail.
    await service.set('greeting', 'hello');
    expect(await service.get('greeting')).toBe('hello');
    expect(service.driverName).toBe('ioredis');
    const [a, b] = await service.transaction((tx) => [tx.incr('n'), tx.get('greeting')]);
    expect(a).toEqual({ ok: true, value: 1 });
    expect(b).toEqual({ ok: true, value: 'hello' });
  });

  it('accepts a URL object', async () => {
    await using service = createIoredisService({ url: new URL(redis.url) });
    expect(await service.command(['PING'])).toBe('PONG');
  });

  it('declares its capabilities', () => {
    expect(driverFor().capabilities).toEqual({
      transactions: true,
      scripting: true,
      pubsub: true,
      binary: true,
      blocking: true,
      search: 'detect',
      exactIntegers: true,
      cluster: false,
      shardedPubsub: false,
    });
  });

  it('runs scripts through EVALSHA with the EVAL fallback', async () => {
    const { defineScript } = await import('@redis-service/core');
    const driver = driverFor();
    const script = defineScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
    const counter = key('script');
    expect(await driver.evalScript(script, [counter], [2])).toBe(2);
    expect(await driver.evalScript(script, [counter], [40])).toBe(42);
  });
});

describe('cluster service factory', () => {
  it('serves an EndpointSpec that names a cluster by its seeds, failing fast when none answers', async () => {
    const dead = `redis://127.0.0.1:${await closedPort()}`;
    const factories: Record<string, ServiceFactory> = { 'ioredis-cluster': createIoredisClusterService };
    const registry = new EndpointRegistry([
      {
        id: 'orders',
        kind: 'ioredis-cluster',
        url: dead,
        nodes: [dead],
        commandTimeoutMs: 2000,
        queueTimeoutMs: 2000,
      },
    ]);
    await using clients = new RedisClients({ registry, factories });
    const orders = clients.get('orders');
    expect(orders.capabilities.cluster).toBe(true);
    await expect(orders.get('k')).rejects.toBeInstanceOf(RedisConnectionError);
  });
});
