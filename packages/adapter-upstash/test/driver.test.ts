import {
  defineScript,
  EndpointRegistry,
  RedisCapabilityError,
  RedisClients,
  RedisConnectionError,
  RedisReplyError,
  RedisSerializationError,
  RedisValidationError,
} from '@redis-service/core';
import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createUpstashDriver,
  createUpstashDriverFromUrl,
  createUpstashService,
  UPSTASH_CAPABILITIES,
  type UpstashDriver,
} from '../src/index.js';
import {
  closedPort,
  type RedisServerHandle,
  startRedisServer,
  startUpstashBridge,
  type UpstashBridge,
} from './support/kit.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

let server: RedisServerHandle;
let bridge: UpstashBridge;
const drivers: UpstashDriver[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: server.url });
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.close()));
});

afterAll(async () => {
  await bridge?.close();
  await server?.stop();
});

/** A `fetch` that counts the requests it makes. */
function countingFetch(): { fetch: typeof fetch; readonly calls: number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    get calls() {
      return calls;
    },
  };
}

function driverFromUrl(
  options: Partial<Parameters<typeof createUpstashDriverFromUrl>[0]> = {},
): UpstashDriver {
  const driver = createUpstashDriverFromUrl({ url: bridge.url, token: bridge.token, ...options });
  drivers.push(driver);
  return driver;
}

function officialClient(overrides: Record<string, unknown> = {}): Redis {
  return new Redis({
    url: bridge.url,
    token: bridge.token,
    enableTelemetry: false,
    retry: { retries: 0 },
    ...overrides,
  });
}

describe('createUpstashDriverFromUrl over the REST bridge', () => {
  it('declares its capabilities', () => {
    expect(driverFromUrl().capabilities).toEqual({
      transactions: true,
      scripting: true,
      pubsub: true,
      binary: false,
      blocking: false,
      search: false,
      exactIntegers: true,
      cluster: false,
      shardedPubsub: false,
    });
    expect(UPSTASH_CAPABILITIES.binary).toBe(false);
  });

  it('sends commands and normalizes strings, nil, integers and arrays', async () => {
    const driver = driverFromUrl();
    const text = 'héllo wörld ✓ 日本語 🚀';
    expect(await driver.send(['SET', 'd1:s', text])).toBe('OK');
    expect(await driver.send(['GET', 'd1:s'])).toBe(text);
    expect(await driver.send(['GET', 'd1:missing'])).toBeNull();
    expect(await driver.send(['INCRBY', 'd1:n', 41])).toBe(41);
    expect(await driver.send(['INCRBY', 'd1:n', -100n])).toBe(-59);
    expect(await driver.send(['HSET', 'd1:h', 'f', '1', 'g', 'ü'])).toBe(2);
    expect(await driver.send(['HGETALL', 'd1:h'])).toEqual(['f', '1', 'g', 'ü']);
    expect(await driver.send(['RPUSH', 'd1:l', 'a', 'b'])).toBe(2);
    expect(await driver.send(['LRANGE', 'd1:l', 0, -1])).toEqual(['a', 'b']);
    expect(await driver.send(['LRANGE', 'd1:none', 0, -1])).toEqual([]);
    expect(await driver.send(['ZADD', 'd1:z', 1.5, 'm'])).toBe(1);
    expect(await driver.send(['ZRANGE', 'd1:z', 0, -1, 'WITHSCORES'])).toEqual(['m', '1.5']);
    expect(await driver.send(['SET', 'd1:num', '123'])).toBe('OK');
    expect(await driver.send(['GET', 'd1:num'])).toBe('123');
    expect(await driver.send(['PING'])).toBe('PONG');
  });

  it('reads integers beyond 2^53 exactly, as bigint', async () => {
    const driver = driverFromUrl();
    expect(await driver.send(['INCRBY', 'd2:big', 9007199254740993n])).toBe(9007199254740993n);
    expect(await driver.send(['DECRBY', 'd2:neg', '9223372036854775807'])).toBe(-9223372036854775807n);
    expect(await driver.send(['EVAL', 'return {9007199254740993, -3}', 0])).toEqual([9007199254740992n, -3]); // Lua numbers are doubles: 2^53 + 1 rounds to 2^53;
  });

  it('rejects a server error with RedisReplyError carrying the message verbatim', async () => {
    const driver = driverFromUrl();
    await driver.send(['SET', 'd3:s', 'x']);
    const error = await driver.send(['LPUSH', 'd3:s', 'y']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisReplyError);
    expect((error as RedisReplyError).message).toBe(WRONGTYPE);
    expect((error as RedisReplyError).prefix).toBe('WRONGTYPE');
    expect(await driver.send(['GET', 'd3:s'])).toBe('x');
  });

  it('runs a pipeline with one result per command, errors included', async () => {
    const driver = driverFromUrl();
    const results = await driver.batch(
      [
        ['SET', 'd4:a', 'v'],
        ['INCR', 'd4:a'],
        ['GET', 'd4:a'],
        ['INCRBY', 'd4:big', 9007199254740993n],
      ],
      { transaction: false },
    );
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual({ ok: true, value: 'OK' });
    expect(results[1]!.ok).toBe(false);
    expect(!results[1]!.ok && results[1]!.error).toBeInstanceOf(RedisReplyError);
    expect(!results[1]!.ok && results[1]!.error.message).toBe('ERR value is not an integer or out of range');
    expect(results[2]).toEqual({ ok: true, value: 'v' });
    expect(results[3]).toEqual({ ok: true, value: 9007199254740993n });
    expect(await driver.batch([], { transaction: false })).toEqual([]);
  });

  it('runs a transaction: a run-time error stays with its command and the others apply', async () => {
    const driver = driverFromUrl();
    const results = await driver.batch(
      [
        ['SET', 'd5:a', 'v'],
        ['INCR', 'd5:a'],
        ['SET', 'd5:b', 'w'],
      ],
      { transaction: true },
    );
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    expect(await driver.send(['GET', 'd5:b'])).toBe('w');
  });

  it('reports a transaction discarded at queue time as an EXECABORT error for every command', async () => {
    const driver = driverFromUrl();
    const results = await driver.batch(
      [
        ['SET', 'd6:a', '1'],
        ['SET', 'd6:b'],
        ['GET', 'd6:a'],
      ],
      {
        transaction: true,
      },
    );
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(RedisReplyError);
        expect(result.error.message).toMatch(/^EXECABORT/);
      }
    }
    expect(await driver.send(['EXISTS', 'd6:a'])).toBe(0);
  });

  it('runs scripts: EVALSHA, falling back to EVAL on NOSCRIPT', async () => {
    const driver = driverFromUrl();
    const script = defineScript(`return {KEYS[1], ARGV[1], ${Date.now()}}`);
    const first = await driver.evalScript(script, ['d7:k'], ['a']);
    expect(first).toEqual(['d7:k', 'a', expect.any(Number)]);
    expect(await driver.evalScript(script, ['d7:k'], ['b'])).toEqual(['d7:k', 'b', (first as number[])[2]]);
  });

  it('refuses binary values with RedisCapabilityError before any request', async () => {
    const counter = countingFetch();
    const driver = driverFromUrl({ fetch: counter.fetch });
    await expect(driver.send(['SET', 'd8:b', new Uint8Array([0xff])])).rejects.toBeInstanceOf(
      RedisCapabilityError,
    );
    await expect(driver.send(['GET', 'd8:b'], { binary: true })).rejects.toBeInstanceOf(RedisCapabilityError);
    await expect(
      driver.batch([['GET', 'd8:b']], { transaction: false, binary: true }),
    ).rejects.toBeInstanceOf(RedisCapabilityError);
    await expect(
      driver.batch([['SET', 'd8:b', new Uint8Array([1])]], { transaction: true }),
    ).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(counter.calls).toBe(0);
  });

  it('maps a wrong token to RedisConnectionError after one request, without the token in the message', async () => {
    const counter = countingFetch();
    const secret = 'not-the-token-0123456789';
    const driver = driverFromUrl({ token: secret, fetch: counter.fetch });
    const error = await driver.send(['GET', 'd9:k']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/unauthorized/i);
    expect((error as Error).message).not.toContain(secret);
    expect(counter.calls).toBe(1);
  });

  it('fails fast on a closed port with RedisConnectionError', async () => {
    const port = await closedPort();
    const driver = driverFromUrl({ url: `http://127.0.0.1:${port}` });
    const started = performance.now();
    await expect(driver.send(['GET', 'k'])).rejects.toBeInstanceOf(RedisConnectionError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('takes the token from the URL when it carries one, and keeps it out of messages', async () => {
    const url = new URL(bridge.url);
    url.password = bridge.token;
    const driver = driverFromUrl({ url: url.href, token: undefined });
    expect(await driver.send(['PING'])).toBe('PONG');
  });

  it('validates its options', () => {
    expect(() => createUpstashDriverFromUrl({ url: 'redis://127.0.0.1:6379', token: 't' })).toThrow(
      RedisValidationError,
    );
    expect(() => createUpstashDriverFromUrl({ url: 'not a url', token: 't' })).toThrow(RedisValidationError);
    expect(() => createUpstashDriverFromUrl({ url: bridge.url })).toThrow(/token is required/);
    expect(() => createUpstashDriverFromUrl({ url: bridge.url, token: 't', commandTimeoutMs: -1 })).toThrow(
      RedisValidationError,
    );
  });
});

describe('createUpstashService', () => {
  it('accepts an EndpointSpec (token from settings) and serves typed commands under the key prefix', async () => {
    const redis = createUpstashService({
      id: 'edge-cache',
      kind: 'upstash',
      url: bridge.url,
      keyPrefix: 'svc1:',
      settings: { token: bridge.token },
    } as Parameters<typeof createUpstashService>[0]);
    try {
      await redis.set('greeting', 'hallo ✓');
      expect(await redis.get('greeting')).toBe('hallo ✓');
      const [a, b] = await redis.transaction((tx) => [tx.incr('n'), tx.get('greeting')]);
      expect(a).toEqual({ ok: true, value: 1 });
      expect(b).toEqual({ ok: true, value: 'hallo ✓' });
      expect(await redis.command(['GET', 'svc1:greeting'])).toBe('hallo ✓');
      await expect(redis.getBytes('greeting')).rejects.toBeInstanceOf(RedisCapabilityError);
    } finally {
      await redis.close();
    }
  });

  it('works as a RedisClients factory', async () => {
    const registry = new EndpointRegistry([
      { id: 'edge', kind: 'upstash', url: bridge.url, keyPrefix: 'svc2:', settings: { token: bridge.token } },
    ]);
    const clients = new RedisClients({ registry, factories: { upstash: createUpstashService } });
    try {
      await clients.get('edge').set('k', 'v');
      expect(await clients.get('edge').get('k')).toBe('v');
    } finally {
      await clients.closeAll();
    }
  });
});

describe('createUpstashDriver over an @upstash/redis client', () => {
  function driverOver(client: Redis): UpstashDriver {
    const driver = createUpstashDriver(client);
    drivers.push(driver);
    return driver;
  }

  it('declares exactIntegers false (the client rounds integers beyond 2^53), the rest as over fetch', () => {
    expect(driverOver(officialClient()).capabilities).toEqual({
      ...UPSTASH_CAPABILITIES,
      exactIntegers: false,
      cluster: false,
      shardedPubsub: false,
    });
  });

  it('gets raw replies whatever the client is configured to do', async () => {
    // Defaults: automatic deserialization and auto-pipelining on; the driver goes under both.
    const driver = driverOver(officialClient());
    await driver.send(['SET', 'c1:json', '{"a":1}']);
    await driver.send(['SET', 'c1:num', '123']);
    expect(await driver.send(['GET', 'c1:json'])).toBe('{"a":1}');
    expect(await driver.send(['GET', 'c1:num'])).toBe('123');
    expect(await driver.send(['INCR', 'c1:n'])).toBe(1);
    expect(await driver.send(['HSET', 'c1:h', 'f', 'ü'])).toBe(1);
    expect(await driver.send(['HGETALL', 'c1:h'])).toEqual(['f', 'ü']);
  });

  it('runs pipelines and transactions with one result per command', async () => {
    const driver = driverOver(
      officialClient({ automaticDeserialization: false, enableAutoPipelining: false }),
    );
    const pipeline = await driver.batch(
      [
        ['SET', 'c2:a', 'v'],
        ['INCR', 'c2:a'],
        ['GET', 'c2:a'],
      ],
      { transaction: false },
    );
    expect(pipeline.map((result) => result.ok)).toEqual([true, false, true]);
    const aborted = await driver.batch(
      [
        ['SET', 'c2:b', '1'],
        ['SET', 'c2:c'],
      ],
      { transaction: true },
    );
    expect(aborted.every((result) => !result.ok && result.error.message.startsWith('EXECABORT'))).toBe(true);
  });

  it('maps a server error to RedisReplyError without the client\'s "command was" suffix', async () => {
    const driver = driverOver(officialClient());
    await driver.send(['SET', 'c3:s', 'x']);
    const error = await driver.send(['LPUSH', 'c3:s', 'secret-value']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisReplyError);
    expect((error as Error).message).toBe(WRONGTYPE);
  });

  it('maps an unauthorized token to RedisConnectionError', async () => {
    const driver = driverOver(officialClient({ token: 'wrong-token' }));
    const error = await driver.send(['GET', 'c4:k']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/unauthorized/i);
    expect((error as Error).message).not.toContain('wrong-token');
  });

  it('refuses an integer beyond 2^53, which the client has already rounded', async () => {
    const driver = driverOver(officialClient());
    await expect(driver.send(['INCRBY', 'c5:big', 9007199254740993n])).rejects.toBeInstanceOf(
      RedisSerializationError,
    );
  });

  it('fails fast on a closed port when the client does not retry', async () => {
    const port = await closedPort();
    const driver = driverOver(officialClient({ url: `http://127.0.0.1:${port}` }));
    await expect(driver.send(['GET', 'k'])).rejects.toBeInstanceOf(RedisConnectionError);
  });

  it('refuses something that is not a client', () => {
    expect(() => createUpstashDriver({} as Redis)).toThrow(TypeError);
  });
});
