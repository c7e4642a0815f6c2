import type { Socket } from 'node:net';
import { startRedisServer } from '@redis-service/conformance/harness';
import { defineScript } from '@redis-service/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIoredisDriver, type IoredisDriver } from '../src/index.js';

type Server = Awaited<ReturnType<typeof startRedisServer>>;
let server: Server;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server?.stop();
});

/** A driver whose socket records each flush to the kernel: how many commands it carried. */
async function recordedDriver(options: { coalesce?: boolean; maxBatch?: number } = {}) {
  const client = new Redis(server.url, { protocol: 2, stringNumbers: true });
  await client.ping();
  const driver: IoredisDriver = createIoredisDriver(client, options);
  const flushes: number[] = [];
  const socket = client.stream as Socket & {
    _write(chunk: unknown, encoding: BufferEncoding, cb: (error?: Error | null) => void): void;
    _writev(chunks: unknown[], cb: (error?: Error | null) => void): void;
  };
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (chunk, encoding, cb) => {
    flushes.push(1);
    write(chunk, encoding, cb);
  };
  socket._writev = (chunks, cb) => {
    flushes.push(chunks.length);
    writev(chunks, cb);
  };
  return { driver, flushes };
}

const SCRIPT = defineScript('return ARGV[1]');

describe('adaptive coalescing', () => {
  it('sends a command alone and at once when nothing is in flight, then the rest of the tick as one write', async () => {
    const { driver, flushes } = await recordedDriver();
    try {
      const replies = Array.from({ length: 10 }, (_, i) => driver.send(['ECHO', `m${i}`]));
      expect(flushes).toEqual([1]);
      expect(await Promise.all(replies)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      expect(flushes).toEqual([1, 9]);
    } finally {
      await driver.close();
    }
  });

  it('keeps writes of scripts no longer than the commands still unanswered ahead of them', async () => {
    const { driver, flushes } = await recordedDriver();
    try {
      await driver.evalScript(SCRIPT, [], ['load']);
      flushes.length = 0;
      const replies = Array.from({ length: 10 }, (_, i) => driver.evalScript(SCRIPT, [], [`s${i}`]));
      expect(await Promise.all(replies)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
      expect(flushes).toEqual([1, 1, 2, 4, 2]);
    } finally {
      await driver.close();
    }
  });

  it('never puts more than maxBatch commands in one write', async () => {
    const { driver, flushes } = await recordedDriver({ maxBatch: 3 });
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => driver.send(['ECHO', `m${i}`])));
      expect(flushes).toEqual([1, 3, 3, 3]);
    } finally {
      await driver.close();
    }
  });

  it('writes every command on its own with coalesce: false', async () => {
    const { driver, flushes } = await recordedDriver({ coalesce: false });
    try {
      await Promise.all(Array.from({ length: 5 }, (_, i) => driver.send(['ECHO', `m${i}`])));
      expect(flushes).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await driver.close();
    }
  });

  it('resolves each command on its own reply, errors included, in order', async () => {
    const { driver } = await recordedDriver();
    try {
      await driver.send(['SET', 'coalesce:n', 'text']);
      const outcomes = await Promise.allSettled([
        driver.send(['ECHO', 'a']),
        driver.send(['INCR', 'coalesce:n']),
        driver.send(['ECHO', 'b']),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 'b' });
      await driver.send(['DEL', 'coalesce:n']);
    } finally {
      await driver.close();
    }
  });
});
