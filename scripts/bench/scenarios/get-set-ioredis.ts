/** GET/SET over ioredis: the service against a default client and against ioredis' own autopipelining. */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { Redis } from 'ioredis';
import type { ThroughputScenario } from '../framework/scenario.js';
import { getSetContender, SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const RAW = 'raw ioredis';
const AUTOPIPE = 'raw ioredis (autopipelining)';
const OURS = 'service (ioredis)';

export const getSetIoredis: ThroughputScenario = {
  kind: 'throughput',
  id: 'get-set/ioredis',
  title: 'GET/SET, ioredis',
  unit: 'ops/s',
  contenders: [
    getSetContender(RAW, 'raw', ({ redisUrl: url }) => {
      const client = new Redis(url);
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.disconnect() };
    }),
    // ioredis' documented speed option: the commands of one tick go as one pipeline.
    getSetContender(AUTOPIPE, 'raw', ({ redisUrl: url }) => {
      const client = new Redis(url, { enableAutoPipelining: true });
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.disconnect() };
    }),
    getSetContender(OURS, 'ours', ({ redisUrl: url }) => {
      const service = createIoredisService({ url, maxInflight: SWEEP_MAX_INFLIGHT });
      return { get: (k) => service.get(k), set: (k, v) => service.set(k, v), close: () => service.close() };
    }),
  ],
  targets: [
    { ours: OURS, theirs: RAW, atLeast: 1 },
    { ours: OURS, theirs: AUTOPIPE, atLeast: 1, at: [64] },
  ],
  ceiling: true,
  chart: true,
};
