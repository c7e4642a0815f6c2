import { describeConformance } from '@redis-service/conformance/vitest';
import { iovalkeyAdapter } from './conformance-adapter.js';

describeConformance(iovalkeyAdapter);
