import { describeConformance } from '@redis-service/conformance/vitest';
import { ioredisAdapter } from './conformance-adapter.js';

// Every case on one node. The broken-driver self-check (about 3 minutes) runs once in `pnpm test`:
// in the outside check, through the published CLI, against a third-party adapter over this same
// ioredis driver; `pnpm conformance` runs it against every adapter.
describeConformance(ioredisAdapter, { selfCheck: false });
