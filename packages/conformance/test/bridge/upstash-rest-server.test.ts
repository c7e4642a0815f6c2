import { Redis } from '@upstash/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { reply } from '../../src/fake/resp-value.js';
import { DROP, HANG } from '../../src/fake/script.js';
import type { ScriptedServer, ScriptedServerScript } from '../../src/fake/scripted-server.js';
import {
  startUpstashScriptedServer,
  type UpstashScriptedServerOptions,
} from '../../src/fake/upstash-rest-server.js';

const servers: ScriptedServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(
  script: ScriptedServerScript,
  options?: UpstashScriptedServerOptions,
): Promise<ScriptedServer> {
  const server = await startUpstashScriptedServer(script, options);
  servers.push(server);
  return server;
}

async function post(
  server: ScriptedServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer any', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('the scripted Upstash REST server', () => {
  it('renders replies as the REST API does', async () => {
    const server = await fake((command) => {
      switch (command[0]) {
        case 'GET':
          return reply.bulk('bär');
        case 'INCRBY':
          return reply.int(9007199254740993n);
        case 'LPUSH':
          return reply.error('WRONGTYPE Operation against a key holding the wrong kind of value');
        case 'HGETALL':
          return reply.array([reply.bulk('f'), reply.nil(), reply.simple('OK')]);
        default:
          return undefined;
      }
    });
    expect(await post(server, '', ['GET', 'k'])).toEqual({ status: 200, text: '{"result":"bär"}' });
    expect(await post(server, '', ['GET', 'k'], { 'upstash-encoding': 'base64' })).toEqual({
      status: 200,
      text: '{"result":"YsOkcg=="}',
    });
    expect((await post(server, '', ['INCRBY', 'k', 1])).text).toBe('{"result":9007199254740993}');
    expect(await post(server, '', ['LPUSH', 'k', 'v'])).toEqual({
      status: 400,
      text: '{"error":"WRONGTYPE Operation against a key holding the wrong kind of value"}',
    });
    expect((await post(server, '', ['HGETALL', 'h'], { 'upstash-encoding': 'base64' })).text).toBe(
      '{"result":["Zg==",null,"T0s="]}',
    );
    expect(
      (
        await post(server, '/pipeline', [
          ['GET', 'a'],
          ['LPUSH', 'b', 'c'],
        ])
      ).text,
    ).toBe(
      '[{"result":"bär"},{"error":"WRONGTYPE Operation against a key holding the wrong kind of value"}]',
    );
    expect(server.commands).toEqual([
      ['GET', 'k'],
      ['GET', 'k'],
      ['INCRBY', 'k', '1'],
      ['LPUSH', 'k', 'v'],
      ['HGETALL', 'h'],
      ['GET', 'a'],
      ['LPUSH', 'b', 'c'],
    ]);
  });

  it('shows /multi-exec to the script as MULTI, the commands, EXEC', async () => {
    let aborted = false;
    const server = await fake((command) => {
      if (command[0] === 'MULTI') return reply.ok();
      if (command[0] === 'EXEC') {
        return aborted
          ? reply.error('EXECABORT Transaction discarded because of previous errors.')
          : reply.array([reply.ok(), reply.int(2)]);
      }
      if (command.length < 2) {
        aborted = true;
        return reply.error("ERR wrong number of arguments for 'get' command");
      }
      return reply.queued();
    });
    expect(
      (
        await post(server, '/multi-exec', [
          ['SET', 'a', '1'],
          ['INCR', 'b'],
        ])
      ).text,
    ).toBe('[{"result":"OK"},{"result":2}]');
    expect(await post(server, '/multi-exec', [['SET', 'a', '1'], ['GET']])).toEqual({
      status: 400,
      text: '{"error":"EXECABORT Transaction discarded because of previous errors."}',
    });
    expect(server.commands.slice(0, 4)).toEqual([['MULTI'], ['SET', 'a', '1'], ['INCR', 'b'], ['EXEC']]);
  });

  it('works with @upstash/redis itself', async () => {
    const server = await fake((command) => {
      if (command[0] === 'GET') return reply.bulk('🚀 ok');
      if (command[0] === 'SET') return reply.ok();
      return undefined;
    });
    const redis = new Redis({
      url: server.url,
      token: 'any',
      automaticDeserialization: false,
      enableAutoPipelining: false,
      enableTelemetry: false,
      retry: { retries: 0 },
    });
    expect(await redis.set('k', 'v')).toBe('OK');
    expect(await redis.get('k')).toBe('🚀 ok');
  });

  it('enforces a token only when given one', async () => {
    const server = await fake(() => reply.ok(), { token: 'secret' });
    expect((await post(server, '', ['SET', 'k', 'v'])).status).toBe(401);
    const ok = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: 'Bearer secret' },
      body: '["SET","k","v"]',
    });
    expect(await ok.json()).toEqual({ result: 'OK' });
  });

  it('carries out fault actions on the HTTP exchange', async () => {
    const server = await fake((command) => {
      switch (command[1]) {
        case 'drop':
          return DROP;
        case 'raw':
          return { raw: 'not json' };
        case 'cut':
          return { dropAfter: '{"result":"ab' };
        case 'hang':
          return HANG;
        default:
          return reply.bulk('fine');
      }
    });
    await expect(post(server, '', ['GET', 'drop'])).rejects.toThrow(/fetch failed/);
    expect(await post(server, '', ['GET', 'raw'])).toEqual({ status: 200, text: 'not json' });
    await expect(post(server, '', ['GET', 'cut'])).rejects.toThrow();
    const hung = await Promise.race([
      post(server, '', ['GET', 'hang']).then(
        () => 'answered',
        () => 'closed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    expect(hung).toBe('still waiting');
    expect(await post(server, '', ['GET', 'after'])).toEqual({ status: 200, text: '{"result":"fine"}' });
    // Keep-alive reuses connections; a drop forces a new one.
    expect(server.connections).toBeGreaterThanOrEqual(2);
    expect(server.received.find((command) => command.argv[1] === 'hang')?.raw[1]).toEqual(
      new TextEncoder().encode('hang'),
    );
  });

  it('answers waitForCommand', async () => {
    const server = await fake(() => HANG);
    void post(server, '', ['GET', 'k']).catch(() => {});
    const command = await server.waitForCommand((received) => received.argv[0] === 'GET');
    expect(command.argv).toEqual(['GET', 'k']);
  });
});
