/**
 * GET/SET on the shared connection while blocking pops wait on the dedicated ones: the same
 * service with 8 BLPOPs blocked throughout against an idle one. The ratio should be ~1: a
 * blocking pop never holds the connection every other caller uses.
 */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import type { RedisService } from '@redis-service/core';
import type { ContenderSpec, ThroughputScenario } from '../framework/scenario.js';
import { getSetContender, SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const BLOCKED_POPS = 8;

async function blockedClients(redis: RedisService): Promise<number> {
  const info = String(await redis.command(['INFO', 'clients']));
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0);
}

type Factory = (options: { url: string; keyPrefix: string; maxInflight: number }) => RedisService;

function contenders(adapter: string, make: Factory): ContenderSpec[] {
  return [
    getSetContender(`service (${adapter}), idle`, 'raw', ({ redisUrl: url }) => {
      const service = make({ url, keyPrefix: 'bench-idle:', maxInflight: SWEEP_MAX_INFLIGHT });
      return { get: (k) => service.get(k), set: (k, v) => service.set(k, v), close: () => service.close() };
    }),
    getSetContender(`service (${adapter}), ${BLOCKED_POPS} pops block`, 'ours', async ({ redisUrl: url }) => {
      const service = make({ url, keyPrefix: 'bench-busy:', maxInflight: SWEEP_MAX_INFLIGHT });
      const before = await blockedClients(service);
      const pops = Array.from({ length: BLOCKED_POPS }, (_, i) =>
        service.blpop(`never:${i}`, 0).catch(() => null),
      );
      while ((await blockedClients(service)) < before + BLOCKED_POPS)
        await new Promise((resolve) => setTimeout(resolve, 10));
      return {
        get: (k) => service.get(k),
        set: (k, v) => service.set(k, v),
        // Closing unblocks the pops (they reject with RedisClosedError, caught above).
        close: () => service.close().then(() => Promise.all(pops)),
      };
    }),
  ];
}

function scenario(adapter: string, make: Factory): ThroughputScenario {
  return {
    kind: 'throughput',
    id: `blocking-pops/${adapter}`,
    title: `GET/SET while ${BLOCKED_POPS} BLPOPs block on dedicated connections, ${adapter}`,
    unit: 'ops/s',
    contenders: contenders(adapter, make),
    targets: [
      {
        ours: `service (${adapter}), ${BLOCKED_POPS} pops block`,
        theirs: `service (${adapter}), idle`,
        atLeast: 0.9,
        at: [64],
      },
    ],
  };
}

/** The shared connection is not slowed by blocking pops, on every adapter with dedicated connections. */
export const blockingPopsIoredis = scenario('ioredis', createIoredisService);
export const blockingPopsNodeRedis = scenario('node-redis', createNodeRedisService);
