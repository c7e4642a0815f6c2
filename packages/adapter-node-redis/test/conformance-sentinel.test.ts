import { driverFacingCase } from '@redis-service/conformance';
import { describeConformance } from '@redis-service/conformance/vitest';
import { nodeRedisSentinelAdapter } from './conformance-adapter.js';

// The driver-facing groups and the failover cases on a primary, a replica and three sentinels:
// the typed command groups and the worker-process cases behave as on one server once these pass,
// and would add minutes to `pnpm test`. `pnpm conformance` runs the whole kit on sentinels.
describeConformance(nodeRedisSentinelAdapter, { filter: driverFacingCase });
