/**
 * Rate limiting over Upstash REST through the local bridge: each algorithm against its own script
 * sent raw through @upstash/redis, and @upstash/ratelimit like for like (fixed window, its
 * two-bucket `slidingWindow` against our counter, its token bucket against GCRA). The bridge is
 * the kit's; what it costs per request is in every row alike.
 */
import { createUpstashService } from '@redis-service/adapter-upstash';
import { rawUpstash, upstashRatelimit } from '../contenders/rate-limit.js';
import { limiterRows, rawTargets } from '../contenders/rate-limit-rows.js';
import type { ThroughputScenario } from '../framework/scenario.js';
import { SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const rows = limiterRows(
  'upstash',
  async (ctx) => {
    const { url, token } = await ctx.bridge();
    return createUpstashService({
      url,
      token,
      maxInflight: SWEEP_MAX_INFLIGHT,
      keyPrefix: 'bench-ours-rest:',
    });
  },
  async (ctx) => {
    const { url, token } = await ctx.bridge();
    return rawUpstash(url, token);
  },
);

const PEER = {
  fixed: '@upstash/ratelimit fixedWindow',
  counter: '@upstash/ratelimit slidingWindow',
  gcra: '@upstash/ratelimit tokenBucket',
} as const;

export const rateLimitUpstash: ThroughputScenario = {
  kind: 'throughput',
  id: 'rate-limit/upstash',
  title: 'rate limit, Upstash REST (local bridge)',
  unit: 'checks/s',
  contenders: [
    ...rows.contenders,
    upstashRatelimit(PEER.fixed, 'fixed'),
    upstashRatelimit(PEER.counter, 'counter'),
    upstashRatelimit(PEER.gcra, 'gcra'),
  ],
  targets: [
    { ours: rows.names.fixed.ours, theirs: PEER.fixed, atLeast: 1 },
    { ours: rows.names.counter.ours, theirs: PEER.counter, atLeast: 1 },
    { ours: rows.names.gcra.ours, theirs: PEER.gcra, atLeast: 1 },
    { ours: rows.names.log.ours, theirs: PEER.counter },
    ...rawTargets(rows.names),
  ],
  ceiling: true,
  chart: true,
};
