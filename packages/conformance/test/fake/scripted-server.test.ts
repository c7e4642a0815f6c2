import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPortUrl } from '../../src/fake/closed-port.js';
import { reply } from '../../src/fake/resp-value.js';
import type { CommandInfo } from '../../src/fake/script.js';
import {
  type ScriptedServer,
  startScriptedServer,
  startSilentServer,
} from '../../src/fake/scripted-server.js';
import { type RawClient, rawClient, resp, sleep } from './raw-client.js';

const servers: ScriptedServer[] = [];
const clients: RawClient[] = [];

async function serve(...args: Parameters<typeof startScriptedServer>): Promise<ScriptedServer> {
  const server = await startScriptedServer(...args);
  servers.push(server);
  return server;
}

async function client(server: ScriptedServer): Promise<RawClient> {
  const raw = await rawClient(server.port);
  clients.push(raw);
  return raw;
}

afterEach(async () => {
  for (const raw of clients.splice(0)) raw.destroy();
  for (const server of servers.splice(0)) await server.close();
});

describe('startScriptedServer: defaults', () => {
  it('listens on loopback with an ephemeral port', async () => {
    const server = await serve();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
  });

  it('answers the handshake commands client libraries send, like Redis 7', async () => {
    const server = await serve();
    const raw = await client(server);
    const steps: [string, string][] = [
      [resp('PING'), '+PONG\r\n'],
      [resp('ping', 'hi'), '$2\r\nhi\r\n'],
      [resp('AUTH', 'user', 'secret'), '+OK\r\n'],
      [resp('SELECT', '3'), '+OK\r\n'],
      [resp('CLIENT', 'SETINFO', 'LIB-NAME', 'x'), '+OK\r\n'],
      [resp('client', 'setname', 'conn'), '+OK\r\n'],
      [resp('READONLY'), '+OK\r\n'],
      [resp('COMMAND', 'DOCS'), '*0\r\n'],
      [resp('HELLO', '3'), '-NOPROTO unsupported protocol version\r\n'],
    ];
    let expected = '';
    for (const [command, answer] of steps) {
      await raw.write(command);
      expected += answer;
      await raw.until((text) => text.length >= expected.length);
      expect(raw.text).toBe(expected);
    }
  });

  it('answers HELLO 2 with the flattened server map Redis 7 sends on RESP2', async () => {
    const server = await serve();
    const raw = await client(server);
    await raw.write(resp('HELLO', '2', 'AUTH', 'default', 'pw', 'SETNAME', 'n'));
    const text = await raw.until((received) => received.endsWith('$7\r\nmodules\r\n*0\r\n'));
    expect(text).toBe(
      '*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n' +
        '$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n' +
        '$7\r\nmodules\r\n*0\r\n',
    );
  });

  it('answers INFO with a server section that says it is not loading', async () => {
    const server = await serve();
    const raw = await client(server);
    await raw.write(resp('INFO'));
    const text = await raw.until(
      (received) => /^\$\d+\r\n[\s\S]*\r\n$/.test(received) && received.includes('role'),
    );
    expect(text).toContain('redis_version:7.0.15\r\n');
    expect(text).toContain('loading:0\r\n');
  });

  it('refuses other commands as unknown', async () => {
    const server = await serve();
    const raw = await client(server);
    await raw.write(resp('get', 'k'));
    expect(await raw.until((text) => text.endsWith('\r\n'))).toBe(
      "-ERR unknown command 'GET', with args beginning with: 'k' \r\n",
    );
  });

  it('answers QUIT and then closes the connection', async () => {
    const server = await serve();
    const raw = await client(server);
    await raw.write(resp('QUIT'));
    expect(await raw.closed()).toBe('+OK\r\n');
  });
});

describe('startScriptedServer: scripts', () => {
  it('hands the script the argv (name uppercased) and where it came from; undefined falls back to defaults', async () => {
    const seen: [string[], Omit<CommandInfo, 'raw' | 'port'>][] = [];
    const server = await serve((command, { connection, index }) => {
      seen.push([[...command], { connection, index }]);
      return command[0] === 'GET' ? reply.bulk(`value of ${command[1]}`) : undefined;
    });
    const first = await client(server);
    await first.write(resp('PING') + resp('get', 'a'));
    await first.until((text) => text.includes('value of a\r\n'));
    const second = await client(server);
    await second.write(resp('GET', 'b'));
    await second.until((text) => text.includes('value of b\r\n'));
    expect(first.text).toBe('+PONG\r\n$10\r\nvalue of a\r\n');
    expect(seen).toEqual([
      [['PING'], { connection: 0, index: 0 }],
      [['GET', 'a'], { connection: 0, index: 1 }],
      [['GET', 'b'], { connection: 1, index: 0 }],
    ]);
    expect(server.connections).toBe(2);
  });

  it('answers pipelined commands split across TCP chunks, in order', async () => {
    const server = await serve((command) =>
      command[0] === 'INCRBY' ? reply.int(Number(command[2])) : undefined,
    );
    const raw = await client(server);
    const wire =
      resp('INCRBY', 'k', '1') + resp('INCRBY', 'k', '22') + resp('PING') + resp('INCRBY', 'k', '333');
    // Small pieces with pauses, so the server really sees separate chunks.
    for (let offset = 0; offset < wire.length; offset += 5) {
      await raw.write(wire.slice(offset, offset + 5));
      await sleep(2);
    }
    expect(await raw.until((text) => text.endsWith(':333\r\n'))).toBe(':1\r\n:22\r\n+PONG\r\n:333\r\n');
    expect(server.commands).toEqual([
      ['INCRBY', 'k', '1'],
      ['INCRBY', 'k', '22'],
      ['PING'],
      ['INCRBY', 'k', '333'],
    ]);
  });

  it('records every command with its exact bytes, even a binary one', async () => {
    const server = await serve(() => reply.ok());
    const raw = await client(server);
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    await raw.write(
      Buffer.concat([Buffer.from('*3\r\n$3\r\nset\r\n$1\r\nk\r\n$256\r\n'), payload, Buffer.from('\r\n')]),
    );
    await raw.until((text) => text === '+OK\r\n');
    const [command] = server.received;
    expect(command?.argv[0]).toBe('SET');
    expect(command?.raw[0]).toEqual(new TextEncoder().encode('set'));
    expect(command?.raw[2]).toEqual(payload);
    expect(command).toMatchObject({ connection: 0, index: 0 });
  });

  it('sends every kind of reply value', async () => {
    const server = await serve(() =>
      reply.array([
        reply.ok(),
        reply.bulk('héllo'),
        reply.int(-7),
        reply.int(9007199254740993n),
        reply.error('ERR inside'),
        reply.nil(),
        reply.nilArray(),
        reply.array([]),
      ]),
    );
    const raw = await client(server);
    await raw.write(resp('X'));
    const expected =
      '*8\r\n+OK\r\n$6\r\nhéllo\r\n:-7\r\n:9007199254740993\r\n-ERR inside\r\n$-1\r\n*-1\r\n*0\r\n';
    await raw.until((text) => text.length >= Buffer.byteLength(expected));
    expect(raw.bytes.toString('utf8')).toBe(expected);
  });

  it('`raw` sends exact bytes and keeps serving', async () => {
    const server = await serve((command) => (command[0] === 'BAD' ? { raw: '?nonsense\r\n' } : undefined));
    const raw = await client(server);
    await raw.write(resp('BAD') + resp('PING'));
    expect(await raw.until((text) => text.endsWith('+PONG\r\n'))).toBe('?nonsense\r\n+PONG\r\n');
  });

  it('`drop` closes the connection without answering; later connections are served', async () => {
    const server = await serve((command) => (command[0] === 'DROP' ? { drop: true } : undefined));
    const raw = await client(server);
    await raw.write(resp('PING') + resp('DROP') + resp('PING'));
    expect(await raw.closed()).toBe('+PONG\r\n');
    const next = await client(server);
    await next.write(resp('PING'));
    expect(await next.until((text) => text === '+PONG\r\n')).toBe('+PONG\r\n');
  });

  it('`dropAfter` sends the bytes and then closes', async () => {
    const server = await serve(() => ({ dropAfter: '$10\r\nhel' }));
    const raw = await client(server);
    await raw.write(resp('GET', 'k'));
    expect(await raw.closed()).toBe('$10\r\nhel');
  });

  it('`hang` answers nothing more on that connection but records what arrives; other connections go on', async () => {
    const server = await serve((command) => (command[0] === 'HANG' ? { hang: true } : undefined));
    const raw = await client(server);
    await raw.write(resp('PING') + resp('HANG') + resp('PING'));
    await raw.until((text) => text === '+PONG\r\n');
    await raw.write(resp('ECHO', 'later'));
    await server.waitForCommand((command) => command.argv[0] === 'ECHO');
    const other = await client(server);
    await other.write(resp('PING'));
    await other.until((text) => text === '+PONG\r\n');
    await sleep(50);
    expect(raw.text).toBe('+PONG\r\n');
    expect(raw.socket.destroyed).toBe(false);
    expect(server.commands).toEqual([['PING'], ['HANG'], ['PING'], ['ECHO', 'later'], ['PING']]);
  });

  it('answers with an error when the script throws', async () => {
    const server = await serve(() => {
      throw new Error('boom');
    });
    const raw = await client(server);
    await raw.write(resp('GET', 'k'));
    expect(await raw.until((text) => text.endsWith('\r\n'))).toBe(
      "-ERR the fake server's script threw: boom\r\n",
    );
  });

  it('answers a protocol error and closes, like Redis', async () => {
    const server = await serve();
    const raw = await client(server);
    await raw.write('*1\r\n+PING\r\n');
    expect(await raw.closed()).toMatch(/^-ERR Protocol error: .*\r\n$/);
  });
});

describe('startScriptedServer: lifecycle', () => {
  it('waitForCommand resolves for a command received before or after, and times out otherwise', async () => {
    const server = await serve();
    const raw = await client(server);
    const later = server.waitForCommand((command) => command.argv[0] === 'ECHO');
    await raw.write(resp('PING') + resp('ECHO', 'x'));
    expect((await later).argv).toEqual(['ECHO', 'x']);
    expect((await server.waitForCommand((command) => command.argv[0] === 'PING')).index).toBe(0);
    await expect(server.waitForCommand((command) => command.argv[0] === 'NEVER', 50)).rejects.toThrow(
      /did not receive/,
    );
  });

  it('close() rejects pending waitForCommand calls instead of leaving them to time out', async () => {
    const server = await serve();
    const waiting = server.waitForCommand(() => true, 60_000);
    await server.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });

  it('close() destroys every connection, stops listening and is idempotent', async () => {
    const server = await serve();
    const a = await client(server);
    const b = await client(server);
    await a.write(resp('PING'));
    await a.until((text) => text === '+PONG\r\n');
    await b.write(resp('PING'));
    await b.until((text) => text === '+PONG\r\n');
    expect(server.openConnections).toBe(2);
    await Promise.all([server.close(), server.close()]);
    await a.closed();
    await b.closed();
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe('ECONNREFUSED');
    await server.close();
  });

  it('startSilentServer accepts connections and never answers', async () => {
    const server = await startSilentServer();
    servers.push(server);
    const raw = await client(server);
    await raw.write(resp('PING') + resp('HELLO', '2'));
    await server.waitForCommand((command) => command.argv[0] === 'HELLO');
    await sleep(50);
    expect(raw.text).toBe('');
    expect(server.connections).toBe(1);
  });

  it('closedPortUrl names a port that refuses connections', async () => {
    const url = new URL(await closedPortUrl());
    expect(url.hostname).toBe('127.0.0.1');
    const code = await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: Number(url.port) });
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(code).toBe('ECONNREFUSED');
  });
});
