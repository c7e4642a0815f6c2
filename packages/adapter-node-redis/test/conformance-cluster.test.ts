import { describeConformance, fullClusterMatrixOnly } from '@redis-service/conformance/vitest';
import { nodeRedisClusterAdapter } from './conformance-cluster-adapter.js';

// The slow multi-process cases whose cluster question a kept case answers, and the broken-driver
// self-check (run once, in the single-node ioredis suite), run in `pnpm conformance`.
describeConformance(nodeRedisClusterAdapter, { skip: fullClusterMatrixOnly, selfCheck: false });
