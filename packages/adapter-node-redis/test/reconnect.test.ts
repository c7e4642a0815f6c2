import { type ChildProcess, spawn } from 'node:child_process';
import { closedPort, type RedisServerHandle, startRedisServer } from '@redis-service/conformance/harness';
import { RedisConnectionError } from '@redis-service/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver, createNodeRedisDriverFromUrl } from '../src/index.js';
import { expectError, timed, uniqueKey } from './support.js';

let server: RedisServerHandle;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Starts redis-server on `port` (the harness picks its own ports); stop it with `kill()`. */
function spawnRedisOn(port: number): ChildProcess {
  return spawn(
    process.env.REDIS_SERVER_BIN ?? 'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: 'ignore' },
  );
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('reconnecting', () => {
  it('after a server restart, a command in flight fails with RedisConnectionError and the next one succeeds', async () => {
    for (const [name, driver] of [
      ['driver from URL', createNodeRedisDriverFromUrl({ url: server.url })],
      ['user-built RESP3 client', createNodeRedisDriver(createClient({ url: server.url }))],
    ] as const) {
      try {
        expect(await driver.send(['PING'])).toBe('PONG');
        const blocked = driver.send(['BLPOP', uniqueKey('never'), 0]).catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await server.restart();
        expectError(await blocked, RedisConnectionError);
        const after = await timed(untilConnected(() => driver.send(['PING'])));
        expect(after.value?.value).toBe('PONG');
        // The driver's own client connects lazily, with the first command after the restart; a
        // user-built one reconnects in the background and refuses commands until it is back.
        if (name === 'driver from URL') expect(after.value?.attempts).toBe(1);
        console.log(
          `${name}: PONG after the restart in ${after.ms.toFixed(1)} ms, attempt ${after.value?.attempts}`,
        );
        const key = uniqueKey('after-restart');
        expect(await driver.send(['SET', key, 'v'])).toBe('OK');
        expect(await driver.send(['GET', key])).toBe('v');
      } finally {
        await driver.close();
      }
    }
  });

  it('reaches a server that comes up after the first commands failed', async () => {
    const port = await closedPort();
    const driver = createNodeRedisDriverFromUrl({ url: `redis://127.0.0.1:${port}` });
    const child = spawnRedisOn(port);
    try {
      expectError(await driver.send(['PING']).catch((e: unknown) => e), RedisConnectionError);
      // The server needs a moment to bind; every attempt until then is refused at once.
      let reply: unknown;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        reply = await driver.send(['PING']).catch((e: unknown) => e);
        if (reply === 'PONG') break;
        expectError(reply, RedisConnectionError);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(reply).toBe('PONG');
    } finally {
      await driver.close();
      await stopProcess(child);
    }
  });

  it('keeps the database chosen with SELECT when the connection is replaced', async () => {
    const driver = createNodeRedisDriverFromUrl({ url: server.url });
    const admin = createNodeRedisDriverFromUrl({ url: server.url });
    try {
      expect(await driver.send(['SELECT', 3])).toBe('OK');
      const id = await driver.send(['CLIENT', 'ID']);
      expect(await admin.send(['CLIENT', 'KILL', 'ID', id as number])).toBe(1);
      const info = await untilConnected(() => driver.send(['CLIENT', 'INFO']));
      expect(info.value).toMatch(/ db=3 /);
      expect(await driver.send(['CLIENT', 'ID'])).not.toBe(id);
    } finally {
      await Promise.all([driver.close(), admin.close()]);
    }
  });
});

/**
 * Calls `call` until it stops failing with `RedisConnectionError` (a client that reconnects in the
 * background refuses commands until it is back), for at most a few seconds.
 */
async function untilConnected<T>(call: () => Promise<T>): Promise<{ value: T; attempts: number }> {
  const deadline = Date.now() + 5000;
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await call(), attempts };
    } catch (error) {
      if (!(error instanceof RedisConnectionError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
