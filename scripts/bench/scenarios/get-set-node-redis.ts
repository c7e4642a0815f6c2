/** GET/SET over node-redis: the service against a default client (which pipelines a tick on its own). */
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import { createClient } from 'redis';
import type { ThroughputScenario } from '../framework/scenario.js';
import { getSetContender, SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const RAW = 'raw node-redis';
const OURS = 'service (node-redis)';

export const getSetNodeRedis: ThroughputScenario = {
  kind: 'throughput',
  id: 'get-set/node-redis',
  title: 'GET/SET, node-redis',
  unit: 'ops/s',
  contenders: [
    getSetContender(RAW, 'raw', async ({ redisUrl: url }) => {
      const client = createClient({ url });
      client.on('error', () => {});
      await client.connect();
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.destroy() };
    }),
    getSetContender(OURS, 'ours', ({ redisUrl: url }) => {
      const service = createNodeRedisService({ url, maxInflight: SWEEP_MAX_INFLIGHT });
      return { get: (k) => service.get(k), set: (k, v) => service.set(k, v), close: () => service.close() };
    }),
  ],
  targets: [{ ours: OURS, theirs: RAW, atLeast: 1 }],
  ceiling: true,
  chart: true,
};
