import { describeConformance } from '@redis-service/conformance/vitest';
import { ioredisClusterAdapter } from './conformance-cluster-adapter.js';

describeConformance(ioredisClusterAdapter);
