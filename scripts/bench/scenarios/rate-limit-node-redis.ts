/** Rate limiting over node-redis: each algorithm against its own script sent raw, and the best RESP peer. */
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import { rawNodeRedis } from '../contenders/rate-limit.js';
import { limiterRows, peerTargets, rawTargets, respPeers } from '../contenders/rate-limit-rows.js';
import type { ThroughputScenario } from '../framework/scenario.js';
import { SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const rows = limiterRows(
  'node-redis',
  ({ redisUrl }) =>
    createNodeRedisService({ url: redisUrl, maxInflight: SWEEP_MAX_INFLIGHT, keyPrefix: 'bench-ours:' }),
  ({ redisUrl }) => rawNodeRedis(redisUrl),
);

export const rateLimitNodeRedis: ThroughputScenario = {
  kind: 'throughput',
  id: 'rate-limit/node-redis',
  title: 'rate limit, node-redis',
  unit: 'checks/s',
  contenders: [...rows.contenders, ...respPeers()],
  targets: [...peerTargets(rows.names), ...rawTargets(rows.names)],
  ceiling: true,
  chart: true,
};
