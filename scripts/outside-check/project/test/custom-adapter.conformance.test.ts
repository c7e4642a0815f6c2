import { describeConformance } from '@redis-service/conformance/vitest';
import { countingAdapter } from '../src/counting-adapter.js';

// The whole kit, self-check included, as a third party runs it against their own adapter.
describeConformance(countingAdapter);
