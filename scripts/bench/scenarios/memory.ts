/**
 * Memory: what one command costs while it waits for a permit (queued in the limiter) and while it
 * waits for its reply (in flight: the executor's entry, the driver's and ioredis' state), and the
 * process's RSS with 10 000 callers queued. The server is a silent one (accepts, reads, never
 * answers), so nothing completes while the heap is measured after a full GC; every figure
 * includes the caller's own promise and key, as an application pays them.
 * (The server answers the client's connection handshake, then nothing.)
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createIoredisDriver } from '@redis-service/adapter-ioredis';
import { RedisService } from '@redis-service/core';
import { Redis } from 'ioredis';
import type { ReportScenario } from '../framework/scenario.js';

const CALLERS = 10_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function silentServer(): Promise<{ server: Server; port: number; silence(): void; speak(): void }> {
  let silent = false;
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      if (silent) return;
      // One +OK per command of the handshake (ioredis' CLIENT SETINFO): each starts a line with '*'.
      const commands = chunk.toString('latin1').match(/(^|\r\n)\*\d/g)?.length ?? 0;
      socket.write('+OK\r\n'.repeat(commands));
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    server,
    port: address.port,
    silence: () => {
      silent = true;
    },
    speak: () => {
      silent = false;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap bytes per caller with `CALLERS` GETs pending under `maxInflight`, and the RSS meanwhile. */
async function measure(
  port: number,
  maxInflight: number,
  silence: () => void,
  speak: () => void,
): Promise<{ perCall: number; rss: number; active: number; queued: number }> {
  // No ready check: the silent server would never answer INFO. Nothing times out meanwhile.
  const client = new Redis({
    port,
    host: '127.0.0.1',
    enableReadyCheck: false,
    protocol: 2,
    stringNumbers: true,
    maxRetriesPerRequest: 0,
  });
  await once(client, 'ready');
  silence();
  const service = new RedisService(createIoredisDriver(client), { maxInflight, commandTimeoutMs: 600_000 });
  await settle();
  const before = heap();
  const calls = Array.from({ length: CALLERS }, (_, i) => service.get(`key:${i}`).catch(() => {}));
  await settle();
  await settle();
  const after = heap();
  const rss = process.memoryUsage().rss;
  const { active, queued } = service.stats;
  await service.close();
  await Promise.all(calls);
  speak();
  return { perCall: (after - before) / CALLERS, rss, active, queued };
}

export const memoryScenario: ReportScenario = {
  kind: 'report',
  id: 'memory',
  title: `memory per command, ${CALLERS.toLocaleString('en-US')} callers (ioredis, heap after a full GC)`,
  async run() {
    const { server, port, silence, speak } = await silentServer();
    try {
      const inflight = await measure(port, CALLERS, silence, speak);
      const queued = await measure(port, 1, silence, speak);
      const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
      return {
        lines: [
          `in flight (${inflight.active} active):  ${Math.round(inflight.perCall)} bytes per command (service + driver + ioredis)`,
          `queued (${queued.queued} waiting for a permit): ${Math.round(queued.perCall)} bytes per command`,
          `RSS with ${queued.queued.toLocaleString('en-US')} callers queued: ${mb(queued.rss)} (the whole bench process)`,
        ],
        values: {
          inflightBytes: inflight.perCall,
          queuedBytes: queued.perCall,
          rssQueued: queued.rss,
          rssInflight: inflight.rss,
        },
      };
    } finally {
      server.close();
    }
  },
};
