/** GET/SET over Upstash REST, through the kit's local bridge: the service against @upstash/redis. */
import { createUpstashService } from '@redis-service/adapter-upstash';
import { Redis as UpstashRedis } from '@upstash/redis';
import type { ThroughputScenario } from '../framework/scenario.js';
import { getSetContender, SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const RAW = 'raw @upstash/redis (autopipelining)';
const OURS = 'service (upstash)';

export const getSetUpstash: ThroughputScenario = {
  kind: 'throughput',
  id: 'get-set/upstash',
  title: 'GET/SET, Upstash REST (local bridge)',
  unit: 'ops/s',
  contenders: [
    // @upstash/redis' speed option (its default): the commands of one tick go as one /pipeline.
    getSetContender(RAW, 'raw', async (ctx) => {
      const { url, token } = await ctx.bridge();
      const client = new UpstashRedis({ url, token, enableTelemetry: false, enableAutoPipelining: true });
      return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => {} };
    }),
    getSetContender(OURS, 'ours', async (ctx) => {
      const { url, token } = await ctx.bridge();
      const service = createUpstashService({ url, token, maxInflight: SWEEP_MAX_INFLIGHT });
      return { get: (k) => service.get(k), set: (k, v) => service.set(k, v), close: () => service.close() };
    }),
  ],
  targets: [{ ours: OURS, theirs: RAW, atLeast: 1 }],
  ceiling: true,
  chart: true,
};
