import { describeConformance } from '@redis-service/conformance/vitest';
import { upstashAdapter } from './conformance-adapter.js';

// Every case, without the broken-driver self-check: it proves the kit, not this adapter, and
// costs minutes per adapter, so `pnpm test` runs it once (the outside check's kit CLI step) and `pnpm conformance`
// runs it against every adapter.
describeConformance(upstashAdapter, { selfCheck: false });
