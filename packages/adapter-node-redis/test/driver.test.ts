import { closedPort, type RedisServerHandle, startRedisServer } from '@redis-service/conformance/harness';
import {
  RedisAbortedError,
  RedisClosedError,
  RedisConnectionError,
  type RedisDriver,
  RedisReplyError,
  RedisTimeoutError,
  RedisValidationError,
} from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriverFromUrl, type NodeRedisDriver } from '../src/index.js';
import { expectError, plain, startSilentServer, timed, uniqueKey } from './support.js';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

let server: RedisServerHandle;
let driver: NodeRedisDriver;
const extraDrivers: RedisDriver[] = [];

/** Another driver on the test server (or `url`), closed after the file. */
function newDriver(options: { url?: string; commandTimeoutMs?: number; connectTimeoutMs?: number } = {}) {
  const created = createNodeRedisDriverFromUrl({ url: server.url, ...options });
  extraDrivers.push(created);
  return created;
}

beforeAll(async () => {
  server = await startRedisServer();
  driver = createNodeRedisDriverFromUrl({ url: server.url });
});

afterAll(async () => {
  await Promise.all([driver?.close(), ...extraDrivers.map((extra) => extra.close())]);
  await server?.stop();
});

describe('replies are normalized to the port contract', () => {
  it('yields a simple OK and a simple status as strings', async () => {
    const key = uniqueKey('simple');
    expect(await driver.send(['SET', key, 'v'])).toBe('OK');
    expect(await driver.send(['TYPE', key])).toBe('string');
    expect(await driver.send(['PING'])).toBe('PONG');
  });

  it('yields bulk strings as UTF-8 text, the empty string as "", nil as null', async () => {
    const key = uniqueKey('bulk');
    await driver.send(['SET', key, 'héllo wörld ✓ 🚀\r\n+OK\r\n']);
    expect(await driver.send(['GET', key])).toBe('héllo wörld ✓ 🚀\r\n+OK\r\n');
    await driver.send(['SET', key, '']);
    expect(await driver.send(['GET', key])).toBe('');
    expect(await driver.send(['GET', uniqueKey('missing')])).toBeNull();
  });

  it('yields safe integers as numbers and integers beyond 2^53 as exact bigints', async () => {
    const key = uniqueKey('int');
    expect(await driver.send(['INCRBY', key, 42])).toBe(42);
    expect(await driver.send(['DECRBY', key, 49])).toBe(-7);
    expect(await driver.send(['EXISTS', uniqueKey('none')])).toBe(0);
    await driver.send(['SET', key, '9007199254740991']);
    expect(await driver.send(['INCRBY', key, 0])).toBe(9007199254740991);
    expect(await driver.send(['INCRBY', key, 2])).toBe(9007199254740993n);
    await driver.send(['SET', key, '-9007199254740992']);
    expect(await driver.send(['DECRBY', key, 1])).toBe(-9007199254740993n);
    await driver.send(['SET', key, '9223372036854775806']);
    expect(await driver.send(['INCR', key])).toBe(9223372036854775807n);
  });

  it('yields arrays (nested, empty, nil) normalized all the way down', async () => {
    const nested = await driver.send([
      'EVAL',
      "return {'a', 1, false, {'', '-9007199254740993', {}, 9007199254740991}, redis.status_reply('OK')}",
      0,
    ]);
    // Lua false is nil; Lua numbers are integers; '-9007199254740993' is a bulk string, not an integer.
    expect(nested).toEqual(['a', 1, null, ['', '-9007199254740993', [], 9007199254740991], 'OK']);
    expect(await driver.send(['LRANGE', uniqueKey('empty'), 0, -1])).toEqual([]);
    // BLPOP that times out answers with a nil array.
    expect(await driver.send(['BLPOP', uniqueKey('empty'), '0.01'])).toBeNull();
  });

  it('rejects a server error with RedisReplyError carrying the message verbatim, and the connection stays usable', async () => {
    const key = uniqueKey('wrongtype');
    await driver.send(['RPUSH', key, 'x']);
    const error = expectError(await driver.send(['GET', key]).catch((e: unknown) => e), RedisReplyError);
    expect(error.message).toBe(WRONGTYPE);
    expect(error.prefix).toBe('WRONGTYPE');
    expect(error.cause).toBeInstanceOf(Error);
    const unknown = expectError(
      await driver.send(['NOSUCHCOMMAND']).catch((e: unknown) => e),
      RedisReplyError,
    );
    expect(unknown.prefix).toBe('ERR');
    expect(await driver.send(['LLEN', key])).toBe(1);
  });

  it('rejects an error nested in a reply (a Lua table holding an error) with RedisReplyError', async () => {
    const error = expectError(
      await driver
        .send(['EVAL', "return {1, redis.error_reply('MYERR nested')}", 0])
        .catch((e: unknown) => e),
      RedisReplyError,
    );
    expect(error.message).toBe('MYERR nested');
  });
});

describe('binary values', () => {
  it('round-trips all 256 byte values as a Uint8Array', async () => {
    const key = uniqueKey('bytes');
    expect(await driver.send(['SET', key, ALL_BYTES])).toBe('OK');
    const bytes = await driver.send(['GET', key], { binary: true });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(plain(bytes)).toEqual(ALL_BYTES);
    expect(await driver.send(['STRLEN', key])).toBe(256);
  });

  it('yields bulk strings inside arrays and batches as bytes; integers and nils stay as they are', async () => {
    const key = uniqueKey('list');
    await driver.send(['RPUSH', key, Uint8Array.of(0, 255, 13, 10), 'héllo']);
    expect(plain(await driver.send(['LRANGE', key, 0, -1], { binary: true }))).toEqual([
      Uint8Array.of(0, 255, 13, 10),
      new TextEncoder().encode('héllo'),
    ]);
    const items = await driver.batch(
      [
        ['LINDEX', key, 0],
        ['LLEN', key],
        ['GET', uniqueKey('missing')],
      ],
      { transaction: false, binary: true },
    );
    expect(items.map((item) => (item.ok ? plain(item.value) : item.error))).toEqual([
      Uint8Array.of(0, 255, 13, 10),
      2,
      null,
    ]);
  });
});

describe('arguments', () => {
  it('sends numbers, bigints and infinities as the decimal text Redis parses', async () => {
    const key = uniqueKey('args');
    await driver.send(['SET', key, 1.5]);
    expect(await driver.send(['GET', key])).toBe('1.5');
    await driver.send(['SET', key, 12345678901234567890n]);
    expect(await driver.send(['GET', key])).toBe('12345678901234567890');
    await driver.send(['SET', key, -0]);
    expect(await driver.send(['GET', key])).toBe('0');
    const zset = uniqueKey('zset');
    expect(
      await driver.send(['ZADD', zset, Number.POSITIVE_INFINITY, 'top', Number.NEGATIVE_INFINITY, 'bottom']),
    ).toBe(2);
    expect(await driver.send(['ZSCORE', zset, 'top'])).toBe('inf');
  });

  it('refuses an argument of another type with RedisValidationError before sending', async () => {
    const bad = [['GET', undefined], ['GET', null], ['GET', {}], []] as unknown as string[][];
    for (const command of bad) {
      expectError(await driver.send(command).catch((e: unknown) => e), RedisValidationError);
    }
    expectError(
      await driver.batch([['PING'], ...bad], { transaction: false }).catch((e: unknown) => e),
      RedisValidationError,
    );
  });
});

describe('batches', () => {
  it('a pipeline with a failing command in the middle yields [value, RedisReplyError, value]', async () => {
    const text = uniqueKey('text');
    await driver.send(['SET', text, 'plain']);
    const items = await driver.batch(
      [
        ['SET', uniqueKey('a'), '1'],
        ['HGET', text, 'field'],
        ['GET', text],
      ],
      { transaction: false },
    );
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ ok: true, value: 'OK' });
    expect(items[1]?.ok).toBe(false);
    const error = expectError(items[1]?.ok === false ? items[1].error : undefined, RedisReplyError);
    expect(error.message).toBe(WRONGTYPE);
    expect(items[2]).toEqual({ ok: true, value: 'plain' });
  });

  it('a transaction with a failing command in the middle yields its error and applies the others', async () => {
    const text = uniqueKey('text');
    const counter = uniqueKey('counter');
    await driver.send(['SET', text, 'plain']);
    const items = await driver.batch(
      [
        ['INCR', counter],
        ['HSET', text, 'f', 'v'],
        ['INCRBY', counter, '9007199254740992'],
      ],
      { transaction: true },
    );
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ ok: true, value: 1 });
    expect(expectError(items[1]?.ok === false ? items[1].error : undefined, RedisReplyError).message).toBe(
      WRONGTYPE,
    );
    expect(items[2]).toEqual({ ok: true, value: 9007199254740993n });
    expect(await driver.send(['GET', counter])).toBe('9007199254740993');
  });

  it('a transaction refused at queue time (EXECABORT) gives every command an error and applies none', async () => {
    const key = uniqueKey('aborted');
    const items = await driver.batch(
      [
        ['SET', key, '1'],
        ['SET', key],
        ['INCR', key],
      ],
      { transaction: true },
    );
    expect(items).toHaveLength(3);
    const errors = items.map((item) => expectError(item.ok ? undefined : item.error, RedisReplyError));
    expect(errors.map((error) => error.prefix)).toEqual(['EXECABORT', 'ERR', 'EXECABORT']);
    expect(errors[1]?.message).toMatch(/wrong number of arguments/);
    expect(await driver.send(['EXISTS', key])).toBe(0);
  });

  it('an empty batch yields no results without sending anything', async () => {
    expect(await driver.batch([], { transaction: false })).toEqual([]);
    expect(await driver.batch([], { transaction: true })).toEqual([]);
  });

  it('keeps a transaction atomic when other commands are sent at the same moment', async () => {
    const key = uniqueKey('atomic');
    const concurrent = Array.from({ length: 50 }, () => driver.send(['RPUSH', key, 'outside']));
    const tx = driver.batch(
      [
        ['RPUSH', key, 'tx-1'],
        ['RPUSH', key, 'tx-2'],
        ['RPUSH', key, 'tx-3'],
      ],
      { transaction: true },
    );
    await Promise.all([...concurrent, tx]);
    const list = (await driver.send(['LRANGE', key, 0, -1])) as string[];
    const first = list.indexOf('tx-1');
    expect(list.slice(first, first + 3)).toEqual(['tx-1', 'tx-2', 'tx-3']);
  });
});

describe('scripts', () => {
  it('evalScript falls back from NOSCRIPT to EVAL and then uses EVALSHA', async () => {
    const { defineScript } = await import('@redis-service/core');
    const script = defineScript(`-- ${uniqueKey('script')}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    const key = uniqueKey('n');
    expect(await driver.send(['SCRIPT', 'EXISTS', script.sha1])).toEqual([0]);
    expect(await driver.evalScript(script, [key], [5])).toBe(5);
    expect(await driver.send(['SCRIPT', 'EXISTS', script.sha1])).toEqual([1]);
    expect(await driver.evalScript(script, [key], [2])).toBe(7);
  });
});

describe('failing fast', () => {
  it('rejects a command to a closed port with RedisConnectionError well under a second, every time', async () => {
    const port = await closedPort();
    const dead = newDriver({ url: `redis://127.0.0.1:${port}` });
    const times: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const { ms, error } = await timed(dead.send(['GET', 'k']));
      expectError(error, RedisConnectionError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      times.push(ms);
    }
    const batch = await timed(
      dead.batch(
        [
          ['SET', 'k', 'v'],
          ['GET', 'k'],
        ],
        { transaction: true },
      ),
    );
    expectError(batch.error, RedisConnectionError);
    times.push(batch.ms);
    console.log(`closed port: command rejected after ${times.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`);
    // The issue's bound (1 s); a refused loopback connection takes about a millisecond.
    for (const ms of times) expect(ms).toBeLessThan(1000);
  });

  it('rejects a command to a server that accepts TCP but never answers with RedisTimeoutError', async () => {
    const silent = await startSilentServer();
    try {
      const hung = newDriver({ url: silent.url, commandTimeoutMs: 300 });
      const { ms, error } = await timed(hung.send(['GET', 'k']));
      const timeout = expectError(error, RedisTimeoutError);
      expect(timeout.timeoutMs).toBe(300);
      console.log(`silent server, commandTimeoutMs 300: RedisTimeoutError after ${ms.toFixed(1)} ms`);
      const batch = await timed(hung.batch([['GET', 'k']], { transaction: false }));
      expectError(batch.error, RedisTimeoutError);
    } finally {
      await silent.close();
    }
  });

  it('gives up a handshake the server never answers after connectTimeoutMs, and tries afresh next time', async () => {
    const silent = await startSilentServer();
    try {
      const hung = newDriver({ url: silent.url, commandTimeoutMs: 0, connectTimeoutMs: 200 });
      const first = await timed(hung.send(['GET', 'k']));
      expect(expectError(first.error, RedisTimeoutError).message).toMatch(/handshake/);
      const second = await timed(hung.send(['GET', 'k']));
      expectError(second.error, RedisTimeoutError);
      console.log(
        `silent server, connectTimeoutMs 200: RedisTimeoutError after ${first.ms.toFixed(1)} ms, then ${second.ms.toFixed(1)} ms`,
      );
      expect(silent.connections).toBe(2);
    } finally {
      await silent.close();
    }
  });
});

describe('close()', () => {
  it('rejects 100 commands in flight with RedisClosedError at once, and later commands immediately', async () => {
    const closing = newDriver();
    await closing.send(['PING']);
    const blocked = uniqueKey('never-pushed');
    // BLPOP with no timeout holds the connection: all 100 are written and waiting for replies.
    const calls = Array.from({ length: 100 }, () =>
      closing.send(['BLPOP', blocked, 0]).catch((e: unknown) => e),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await closing.close();
    const outcomes = await Promise.all(calls);
    const settledMs = performance.now() - started;
    expect(outcomes.filter((outcome) => outcome instanceof RedisClosedError)).toHaveLength(100);
    const later = await timed(closing.send(['PING']));
    expectError(later.error, RedisClosedError);
    const laterBatch = await timed(closing.batch([['PING']], { transaction: true }));
    expectError(laterBatch.error, RedisClosedError);
    console.log(
      `close() with 100 in flight: all rejected ${settledMs.toFixed(1)} ms after close(); a later send rejected after ${later.ms.toFixed(2)} ms`,
    );
    await closing.close();
    expect(closing.closed).toBe(true);
  });

  it('rejects a command waiting for a connection with RedisClosedError', async () => {
    const silent = await startSilentServer();
    try {
      const hung = newDriver({ url: silent.url, commandTimeoutMs: 0, connectTimeoutMs: 0 });
      const pending = hung.send(['PING']).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await hung.close();
      expectError(await pending, RedisClosedError);
    } finally {
      await silent.close();
    }
  });
});

describe('abort signals', () => {
  it('rejects with RedisAbortedError when the signal fires, or at once when it already has', async () => {
    const aborting = newDriver();
    const controller = new AbortController();
    const pending = aborting
      .send(['BLPOP', uniqueKey('never'), 0], { signal: controller.signal })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expectError(await pending, RedisAbortedError);
    expectError(
      await aborting.send(['PING'], { signal: controller.signal }).catch((e: unknown) => e),
      RedisAbortedError,
    );
  });
});

describe('credentials never reach a message', () => {
  const secret = 'hunter2-s3cr3t';

  it('a refused connection with a password in the URL', async () => {
    const port = await closedPort();
    const dead = newDriver({ url: `redis://alice:${secret}@127.0.0.1:${port}` });
    const error = expectError(await dead.send(['PING']).catch((e: unknown) => e), RedisConnectionError);
    expect(error.message).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
    expect(String((error.cause as Error | undefined)?.message)).not.toContain(secret);
  });

  it('a wrong password rejected by the server (WRONGPASS) is a RedisConnectionError without it', async () => {
    // The harness waits for an unauthenticated PONG, so the password is set once the server runs.
    const guarded = await startRedisServer();
    try {
      const admin = newDriver({ url: guarded.url });
      expect(await admin.send(['CONFIG', 'SET', 'requirepass', 'the-right-one'])).toBe('OK');
      const wrong = newDriver({ url: `redis://default:${secret}@127.0.0.1:${guarded.port}` });
      const error = expectError(await wrong.send(['PING']).catch((e: unknown) => e), RedisConnectionError);
      expect(error.message).toMatch(/WRONGPASS/);
      expect(error.message).not.toContain(secret);
      const right = newDriver({ url: `redis://default:the-right-one@127.0.0.1:${guarded.port}` });
      expect(await right.send(['PING'])).toBe('PONG');
    } finally {
      await guarded.stop();
    }
  });

  it('an unusable URL or options are refused with RedisValidationError without the password', () => {
    for (const url of [`redis://alice:${secret}@[not-a-host`, `http://alice:${secret}@127.0.0.1:6379`]) {
      const error = expectError(
        (() => {
          try {
            createNodeRedisDriverFromUrl({ url });
          } catch (e) {
            return e;
          }
        })(),
        RedisValidationError,
      );
      expect(error.message).not.toContain(secret);
    }
    // node-redis quotes the URL in this one.
    const mismatch = (() => {
      try {
        createNodeRedisDriverFromUrl({
          url: `redis://alice:${secret}@127.0.0.1:6379`,
          clientOptions: { socket: { tls: true } },
        });
      } catch (e) {
        return e;
      }
    })();
    const error = expectError(mismatch, RedisValidationError);
    expect(error.message).toMatch(/tls/);
    expect(error.message).not.toContain(secret);
    expect(error.cause).toBeUndefined();
  });
});
