import { describeConformance } from '@redis-service/conformance/vitest';
import { ioredisAdapter } from './conformance-adapter.js';

describeConformance(ioredisAdapter, { topology: 'sentinel' });
