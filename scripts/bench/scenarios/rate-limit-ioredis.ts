/** Rate limiting over ioredis: each algorithm against its own script sent raw, and the best RESP peer. */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { rawIoredis } from '../contenders/rate-limit.js';
import { limiterRows, peerTargets, rawTargets, respPeers } from '../contenders/rate-limit-rows.js';
import type { ThroughputScenario } from '../framework/scenario.js';
import { SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const rows = limiterRows(
  'ioredis',
  ({ redisUrl }) =>
    createIoredisService({ url: redisUrl, maxInflight: SWEEP_MAX_INFLIGHT, keyPrefix: 'bench-ours:' }),
  ({ redisUrl }) => rawIoredis(redisUrl),
);

export const rateLimitIoredis: ThroughputScenario = {
  kind: 'throughput',
  id: 'rate-limit/ioredis',
  title: 'rate limit, ioredis',
  unit: 'checks/s',
  contenders: [...rows.contenders, ...respPeers()],
  targets: [...peerTargets(rows.names), ...rawTargets(rows.names)],
  ceiling: true,
  chart: true,
};
