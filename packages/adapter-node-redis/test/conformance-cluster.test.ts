import { describeConformance } from '@redis-service/conformance/vitest';
import { nodeRedisClusterAdapter } from './conformance-cluster-adapter.js';

describeConformance(nodeRedisClusterAdapter);
