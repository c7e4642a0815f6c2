import assert from 'node:assert/strict';
import type { RedisService } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { settledValue } from './support/settled-value.js';

// Two expiries in the same second: a driver that sends whole seconds gives both the same one.
const SHORTER_MS = 60_001;
const LONGER_MS = 60_999;

/**
 * Reads both keys' remaining time in one pipeline (so at one moment, however slow the machine)
 * and asserts they are as far apart as their expiries: nearly a second, not zero.
 */
async function assertMillisecondsApart(redis: RedisService, what: string): Promise<void> {
  const [shorter, longer] = await redis.pipeline((p) => [p.pttl('shorter'), p.pttl('longer')]);
  const a = settledValue(shorter, 'pttl shorter');
  const b = settledValue(longer, 'pttl longer');
  assert.ok(
    a > 0 && a <= SHORTER_MS,
    `${what}: pttl of the shorter key is ${a}, expected 0 < pttl <= ${SHORTER_MS}`,
  );
  assert.ok(
    b > 0 && b <= LONGER_MS,
    `${what}: pttl of the longer key is ${b}, expected 0 < pttl <= ${LONGER_MS}`,
  );
  // Set in issue order, so the gap can only grow the difference; 900 leaves room for the
  // microseconds between two reads in one pipeline.
  assert.ok(
    b - a >= 900,
    `${what}: expiries of ${SHORTER_MS} and ${LONGER_MS} ms came out ${b - a} ms apart (milliseconds lost, e.g. sent as whole seconds)`,
  );
}

/** Cases on millisecond expiries, which a driver must pass on as milliseconds. */
export const expiryPrecisionCases: IntegrationCase[] = defineCases('keys', [
  {
    slug: 'pexpire-keeps-milliseconds',
    name: `pexpire of ${SHORTER_MS} and ${LONGER_MS} ms gives two keys expiries nearly a second apart, to the millisecond`,
    async run({ redis }) {
      await redis.mset({ shorter: '1', longer: '2' });
      // Issued together, so they are sent back to back.
      const set = await Promise.all([
        redis.pexpire('shorter', SHORTER_MS),
        redis.pexpire('longer', LONGER_MS),
      ]);
      assert.deepEqual(set, [true, true]);
      await assertMillisecondsApart(redis, 'pexpire');
    },
  },
  {
    slug: 'pexpire-in-a-batch-keeps-milliseconds',
    name: 'pexpire inside a pipeline (and a transaction, with the capability) keeps milliseconds too',
    async run({ redis }) {
      await redis.mset({ shorter: '1', longer: '2' });
      const set = await redis.pipeline((p) => [
        p.pexpire('shorter', SHORTER_MS),
        p.pexpire('longer', LONGER_MS),
      ]);
      assert.deepEqual(
        set.map((result, i) => settledValue(result, `pexpire #${i}`)),
        [true, true],
      );
      await assertMillisecondsApart(redis, 'pexpire in a pipeline');
      if (!redis.capabilities.transactions) return;
      const again = await redis.transaction((t) => [
        t.pexpire('shorter', SHORTER_MS),
        t.pexpire('longer', LONGER_MS),
      ]);
      assert.deepEqual(
        again.map((result, i) => settledValue(result, `pexpire #${i} in a transaction`)),
        [true, true],
      );
      await assertMillisecondsApart(redis, 'pexpire in a transaction');
    },
  },
]);
