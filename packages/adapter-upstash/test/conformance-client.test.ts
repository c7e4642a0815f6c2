import { describeConformance } from '@redis-service/conformance/vitest';
import { upstashClientAdapter } from './conformance-client-adapter.js';

describeConformance(upstashClientAdapter);
