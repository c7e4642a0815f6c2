import { describeConformance } from '@redis-service/conformance/vitest';
import { upstashAdapter } from './conformance-adapter.js';

describeConformance(upstashAdapter);
