import { describeConformance } from '@redis-service/conformance/vitest';
import { nodeRedisAdapter } from './conformance-adapter.js';

describeConformance(nodeRedisAdapter, { topology: 'sentinel' });
