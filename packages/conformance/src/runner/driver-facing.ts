import type { ConformanceCase } from '../case.js';

/**
 * The integration groups whose outcome depends on the driver (its connections, replies, errors,
 * batches, subscriptions, dedicated connections, failovers) more than on how core builds commands.
 * Left out: the typed groups over plain commands (keys, hashes, lists, sets, sorted sets, geo, JSON,
 * models, bad input) and the groups that are core's logic over the port (`raw-commands`' refusals,
 * `limiter`, `rate-limit` and `get-or-compute` scripts): they behave the same on any driver that
 * passes these, and the failover cases run rate-limit scripts on the topology anyway.
 */
const DRIVER_FACING_GROUPS: ReadonlySet<string> = new Set([
  'strings',
  'binary',
  'pipelines',
  'transactions',
  'watch',
  'errors',
  'fail-fast',
  'close',
  'pubsub',
  'blocking',
  'failover',
]);

/**
 * Failover cases left to `pnpm conformance`: the subscriber after kill -9 costs a whole
 * down-after period (the SENTINEL FAILOVER subscriber case and both load cases stay in the quick
 * run, and the kill -9 load case covers the same failover). It once missed the new primary on
 * ioredis (3 of 28 soak runs): ioredis forgot names whose resubscribe was cut off, which the
 * toolkit's `ResubscribingSubscriber` now repairs by resubscribing every name itself.
 */
const CONFORMANCE_ONLY_CASES: ReadonlySet<string> = new Set(['failover/subscriber-follows-killed-primary']);

/**
 * Whether a case belongs to a quick run of the driver-facing part of the kit: the unit tier, and
 * the integration cases of `DRIVER_FACING_GROUPS` that run in this process (those that fork
 * worker processes, `*processes*`, prove core's cross-process coordination and take the longest),
 * but not `CONFORMANCE_ONLY_CASES`.
 * For a second topology in a test suite (the full kit runs on it through `runConformance`):
 *
 * ```ts
 * describeConformance({ ...adapter, topology: 'sentinel' }, { filter: driverFacingCase });
 * ```
 */
export function driverFacingCase(testCase: ConformanceCase): boolean {
  if (testCase.tier === 'unit') return true;
  return (
    DRIVER_FACING_GROUPS.has(testCase.group) &&
    !testCase.id.includes('processes') &&
    !CONFORMANCE_ONLY_CASES.has(testCase.id)
  );
}
