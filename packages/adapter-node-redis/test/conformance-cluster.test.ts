import { describeConformance, fullClusterMatrixOnly } from '@redis-service/conformance/vitest';
import { nodeRedisClusterAdapter } from './conformance-cluster-adapter.js';

// The slow multi-process cases whose cluster question a kept case answers run in `pnpm conformance`.
describeConformance(nodeRedisClusterAdapter, { skip: fullClusterMatrixOnly });
