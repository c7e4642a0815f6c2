import type { ConformanceCase } from '@redis-service/conformance';
import { describeConformance } from '@redis-service/conformance/vitest';
import { nodeRedisAdapter, upstashClientAdapter } from '../src/lowest-drivers.js';

// The parts of the kit where a driver's version shows: reply shapes and errors (the unit tier),
// and the integration groups that lean on the driver's protocol handling.
const DRIVER_GROUPS = new Set([
  'strings',
  'hashes',
  'binary',
  'pipelines',
  'transactions',
  'errors',
  'fail-fast',
  'pubsub',
  'close',
]);
const driverCases = (testCase: ConformanceCase) =>
  testCase.tier === 'unit' || DRIVER_GROUPS.has(testCase.group);

describeConformance(nodeRedisAdapter, { filter: driverCases, selfCheck: false });
describeConformance(upstashClientAdapter, { filter: driverCases, selfCheck: false });
