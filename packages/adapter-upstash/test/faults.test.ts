import {
  RedisAbortedError,
  RedisClosedError,
  RedisConnectionError,
  RedisReplyError,
  RedisSerializationError,
  RedisTimeoutError,
} from '@redis-service/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstashDriverFromUrl, type UpstashDriver } from '../src/index.js';
import { DROP, HANG, reply, type ScriptedServer, startUpstashScriptedServer } from './support/kit.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Script = Parameters<typeof startUpstashScriptedServer>[0];

async function scenario(
  script: Script,
  options: { commandTimeoutMs?: number; token?: string; serverToken?: string } = {},
): Promise<{ server: ScriptedServer; driver: UpstashDriver }> {
  const server = await startUpstashScriptedServer(
    script,
    options.serverToken === undefined ? {} : { token: options.serverToken },
  );
  cleanups.push(() => server.close());
  const driver = createUpstashDriverFromUrl({
    url: server.url,
    token: options.token ?? 'fake-token',
    commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
  });
  cleanups.push(() => driver.close());
  return { server, driver };
}

function sent(server: ScriptedServer, name: string): string[][] {
  return server.commands.filter((argv) => argv[0] === name).map((argv) => [...argv]);
}

describe('the Upstash driver against a scripted REST server', () => {
  it('decodes base64 replies: bulk and status strings, nested OK, nil, exact big integers', async () => {
    const { driver } = await scenario((command) => {
      switch (command[0]) {
        case 'GET':
          return reply.bulk('héllo 🚀');
        case 'PING':
          return reply.simple('PONG');
        case 'SET':
          return reply.ok();
        case 'EVAL':
          return reply.array([
            reply.ok(),
            reply.bulk(''),
            reply.nil(),
            reply.int(-9007199254740993n),
            reply.array([]),
          ]);
        default:
          return undefined;
      }
    });
    expect(await driver.send(['GET', 'k'])).toBe('héllo 🚀');
    expect(await driver.send(['PING'])).toBe('PONG');
    expect(await driver.send(['SET', 'k', 'v'])).toBe('OK');
    expect(await driver.send(['EVAL', 'x', 0])).toEqual(['OK', '', null, -9007199254740993n, []]);
  });

  it('sends every argument as a string, numbers in their shortest form', async () => {
    const { server, driver } = await scenario((command) =>
      command[0] === 'ZADD' ? reply.int(1) : undefined,
    );
    await driver.send([
      'ZADD',
      'z',
      0.1,
      'm',
      1e21,
      'n',
      Number.POSITIVE_INFINITY,
      'o',
      12345678901234567890n,
      'p',
    ]);
    expect(sent(server, 'ZADD')).toEqual([
      ['ZADD', 'z', '0.1', 'm', '1e+21', 'n', '+inf', 'o', '12345678901234567890', 'p'],
    ]);
  });

  it('times out a request nobody answers with RedisTimeoutError after commandTimeoutMs', async () => {
    const { driver } = await scenario((command) => (command[0] === 'GET' ? HANG : undefined), {
      commandTimeoutMs: 200,
    });
    const error = await driver.send(['GET', 'k']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect((error as RedisTimeoutError).timeoutMs).toBe(200);
  });

  it("stops waiting when the caller's signal fires, with RedisAbortedError", async () => {
    const { server, driver } = await scenario((command) => (command[0] === 'GET' ? HANG : undefined));
    const controller = new AbortController();
    const pending = driver.send(['GET', 'k'], { signal: controller.signal });
    await server.waitForCommand((command) => command.argv[0] === 'GET');
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RedisAbortedError);
    const already = AbortSignal.abort();
    await expect(driver.send(['GET', 'k'], { signal: already })).rejects.toBeInstanceOf(RedisAbortedError);
  });

  it('rejects requests in flight with RedisClosedError on close, and sends nothing after', async () => {
    const { server, driver } = await scenario((command) => (command[0] === 'GET' ? HANG : undefined));
    const pending = driver.send(['GET', 'k']);
    const batch = driver.batch([['GET', 'a']], { transaction: false });
    const outcomes = Promise.allSettled([pending, batch]);
    await server.waitForCommand((command) => command.argv[1] === 'k');
    await driver.close();
    const [first, second] = await outcomes;
    expect(first.status === 'rejected' && first.reason).toBeInstanceOf(RedisClosedError);
    expect(second.status === 'rejected' && second.reason).toBeInstanceOf(RedisClosedError);
    await expect(driver.send(['GET', 'later'])).rejects.toBeInstanceOf(RedisClosedError);
    await expect(driver.batch([['GET', 'later']], { transaction: true })).rejects.toBeInstanceOf(
      RedisClosedError,
    );
    await driver.close();
    expect(server.commands.some((argv) => argv[1] === 'later')).toBe(false);
  });

  it('sends concurrent calls in issue order, coalesced into one request', async () => {
    let counter = 0;
    const { server, driver } = await scenario((command) =>
      command[0] === 'INCR' ? reply.int(++counter) : undefined,
    );
    const calls = Array.from({ length: 20 }, () => driver.send(['INCR', 'n']));
    const pipeline = driver.batch(
      [
        ['INCR', 'n'],
        ['INCR', 'n'],
      ],
      { transaction: false },
    );
    const last = driver.send(['INCR', 'n']);
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await pipeline).toEqual([
      { ok: true, value: 21 },
      { ok: true, value: 22 },
    ]);
    expect(await last).toBe(23);
    // One HTTP exchange on one connection: every command of it arrived on connection 0, in order.
    expect(server.received.map((command) => command.index)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('keeps transactions apart and in order between the calls around them', async () => {
    const { server, driver } = await scenario((command) => {
      if (command[0] === 'MULTI') return reply.ok();
      if (command[0] === 'EXEC') return reply.array([reply.ok()]);
      if (command[0] === 'SET') return reply.queued();
      return reply.bulk(command[1]!);
    });
    const before = driver.send(['GET', 'before']);
    const tx = driver.batch([['SET', 'k', 'v']], { transaction: true });
    const after = driver.send(['GET', 'after']);
    expect(await before).toBe('before');
    expect(await tx).toEqual([{ ok: true, value: 'OK' }]);
    expect(await after).toBe('after');
    expect(server.commands).toEqual([
      ['GET', 'before'],
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['EXEC'],
      ['GET', 'after'],
    ]);
  });

  it('gives up a request nobody answers after the timeout, so later calls go through', async () => {
    const { driver } = await scenario(
      (command) => {
        if (command[0] !== 'GET') return undefined;
        return command[1] === 'hang' ? HANG : reply.bulk('fine');
      },
      { commandTimeoutMs: 300 },
    );
    const hung = driver.send(['GET', 'hang']);
    await expect(hung).rejects.toBeInstanceOf(RedisTimeoutError);
    expect(await driver.send(['GET', 'next'])).toBe('fine');
  });

  it('never sends a queued call whose signal fired before its turn', async () => {
    const { server, driver } = await scenario(
      (command) => {
        if (command[0] !== 'GET') return undefined;
        return command[1] === 'slow' ? HANG : reply.bulk(command[1]!);
      },
      { commandTimeoutMs: 500 },
    );
    const slow = driver.send(['GET', 'slow']).catch((e: unknown) => e);
    await server.waitForCommand((command) => command.argv[1] === 'slow');
    const controller = new AbortController();
    const queued = driver.send(['GET', 'queued'], { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(RedisAbortedError);
    expect(await slow).toBeInstanceOf(RedisTimeoutError);
    expect(await driver.send(['GET', 'then'])).toBe('then');
    expect(server.commands.map((argv) => argv[1])).toEqual(['slow', 'then']);
  });

  it('frees the line when every call of the request in flight has left', async () => {
    const { server, driver } = await scenario((command) => {
      if (command[0] !== 'GET') return undefined;
      return command[1] === 'slow' ? HANG : reply.bulk(command[1]!);
    });
    const controller = new AbortController();
    const slow = driver.send(['GET', 'slow'], { signal: controller.signal });
    await server.waitForCommand((command) => command.argv[1] === 'slow');
    const next = driver.send(['GET', 'next']);
    controller.abort();
    await expect(slow).rejects.toBeInstanceOf(RedisAbortedError);
    // Well before the 10 s command timeout of this scenario.
    expect(await next).toBe('next');
  });

  it('reports a dropped connection as RedisConnectionError and never sends the command again', async () => {
    const { server, driver } = await scenario((command) => (command[0] === 'INCR' ? DROP : undefined));
    await expect(driver.send(['INCR', 'n'])).rejects.toBeInstanceOf(RedisConnectionError);
    expect(sent(server, 'INCR')).toHaveLength(1);
  });

  it('recovers after a dropped connection', async () => {
    const { server, driver } = await scenario((command, { connection }) => {
      if (command[0] !== 'GET') return undefined;
      return connection === 0 ? DROP : reply.bulk('back');
    });
    await expect(driver.send(['GET', 'k'])).rejects.toBeInstanceOf(RedisConnectionError);
    expect(await driver.send(['GET', 'k'])).toBe('back');
    expect(server.connections).toBeGreaterThanOrEqual(2);
  });

  it('reports a response cut off mid-body as RedisConnectionError', async () => {
    const { driver } = await scenario((command) =>
      command[0] === 'GET' ? { dropAfter: '{"result":"aGVs' } : undefined,
    );
    await expect(driver.send(['GET', 'k'])).rejects.toBeInstanceOf(RedisConnectionError);
  });

  it('reports a body that is not JSON as RedisConnectionError, as the port says of unparseable replies', async () => {
    const { driver } = await scenario((command) =>
      command[0] === 'GET' ? { raw: '<html>oops</html>' } : undefined,
    );
    await expect(driver.send(['GET', 'k'])).rejects.toBeInstanceOf(RedisConnectionError);
  });

  it('rejects a batch answered with the wrong number of results as a whole', async () => {
    const { driver } = await scenario((command) =>
      command[0] === 'GET' ? { raw: '[{"result":"QQ=="}]' } : undefined,
    );
    await expect(
      driver.batch(
        [
          ['GET', 'a'],
          ['GET', 'b'],
        ],
        { transaction: false },
      ),
    ).rejects.toBeInstanceOf(RedisSerializationError);
  });

  it('gives each pipeline command its own value or error', async () => {
    const { server, driver } = await scenario((command) => {
      if (command[0] !== 'GET') return undefined;
      return command[1] === 'b' ? reply.error('ERR no') : reply.bulk(command[1]!.toUpperCase());
    });
    const results = await driver.batch(
      [
        ['GET', 'a'],
        ['GET', 'b'],
        ['GET', 'c'],
      ],
      { transaction: false },
    );
    expect(results[0]).toEqual({ ok: true, value: 'A' });
    expect(!results[1]!.ok && results[1]!.error).toBeInstanceOf(RedisReplyError);
    expect(results[2]).toEqual({ ok: true, value: 'C' });
    expect(sent(server, 'GET')).toEqual([
      ['GET', 'a'],
      ['GET', 'b'],
      ['GET', 'c'],
    ]);
  });

  it('runs a transaction through /multi-exec as MULTI ... EXEC', async () => {
    const { server, driver } = await scenario((command) => {
      switch (command[0]) {
        case 'MULTI':
          return reply.ok();
        case 'EXEC':
          return reply.array([reply.ok(), reply.error('ERR not an integer'), reply.int(9007199254740993n)]);
        default:
          return reply.queued();
      }
    });
    const results = await driver.batch(
      [
        ['SET', 'a', '1'],
        ['INCR', 'a'],
        ['INCRBY', 'b', 9007199254740993n],
      ],
      { transaction: true },
    );
    expect(results[0]).toEqual({ ok: true, value: 'OK' });
    expect(!results[1]!.ok && results[1]!.error.message).toBe('ERR not an integer');
    expect(results[2]).toEqual({ ok: true, value: 9007199254740993n });
    expect(server.commands).toEqual([
      ['MULTI'],
      ['SET', 'a', '1'],
      ['INCR', 'a'],
      ['INCRBY', 'b', '9007199254740993'],
      ['EXEC'],
    ]);
  });

  it('maps HTTP 401 to RedisConnectionError', async () => {
    const { driver } = await scenario(() => reply.ok(), { serverToken: 'right', token: 'wrong' });
    const error = await driver.send(['SET', 'k', 'v']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/unauthorized/i);
  });

  it('maps a 5xx to RedisConnectionError, not a reply error', async () => {
    const driver = createUpstashDriverFromUrl({
      url: 'http://127.0.0.1:9',
      token: 't',
      fetch: async () => new Response('{"error":"service unavailable"}', { status: 503 }),
    });
    cleanups.push(() => driver.close());
    const error = await driver.send(['GET', 'k']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toContain('HTTP 503');
  });

  it('retries a refused connection only as often as asked, then fails', async () => {
    let calls = 0;
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    const driver = createUpstashDriverFromUrl({
      url: 'http://127.0.0.1:9',
      token: 't',
      retries: 2,
      fetch: async () => {
        calls++;
        throw refused;
      },
    });
    cleanups.push(() => driver.close());
    const error = await driver.send(['GET', 'k']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(calls).toBe(3);
  });

  it('never retries a failure after which the request may have been sent', async () => {
    let calls = 0;
    const reset = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const driver = createUpstashDriverFromUrl({
      url: 'http://127.0.0.1:9',
      token: 't',
      retries: 5,
      fetch: async () => {
        calls++;
        throw reset;
      },
    });
    cleanups.push(() => driver.close());
    await expect(driver.send(['INCR', 'k'])).rejects.toBeInstanceOf(RedisConnectionError);
    expect(calls).toBe(1);
  });
});
