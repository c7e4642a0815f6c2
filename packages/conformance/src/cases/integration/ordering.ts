import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/**
 * Cases on the port's ordering contract: commands sent concurrently on one driver run on the
 * server in the order they were issued. Core's limiter hands out permits first in, first out, so
 * a driver that reorders breaks every caller that writes and then reads without awaiting.
 */
export const orderingCases: IntegrationCase[] = defineCases('ordering', [
  {
    slug: 'concurrent-sends-run-in-issue-order',
    name: 'two hundred RPUSH sent on the driver at once, none awaited before the next, land in the list in issue order',
    async run(ctx) {
      const key = `${ctx.prefix}list`;
      const pushes = Array.from({ length: 200 }, (_, i) => ctx.driver.send(['RPUSH', key, String(i)]));
      const lengths = await Promise.all(pushes);
      assert.deepEqual(
        lengths,
        Array.from({ length: 200 }, (_, i) => i + 1),
        'each RPUSH saw the list as long as the pushes issued before it',
      );
      const list = await ctx.driver.send(['LRANGE', key, '0', '-1']);
      assert.deepEqual(
        list,
        Array.from({ length: 200 }, (_, i) => String(i)),
      );
    },
  },
  {
    slug: 'interleaved-writes-and-reads',
    name: 'writes and reads of one key issued together through the service, with a pipeline among them, each see the writes issued before them',
    async run(ctx) {
      const { redis } = ctx;
      const reads: Promise<unknown>[] = [];
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 40; i++) {
        writes.push(redis.set('k', `v${i}`));
        reads.push(redis.get('k'));
        if (i % 10 === 5) {
          const batch = redis.pipeline((p) => [p.set('k', `v${i}+`), p.get('k')]);
          reads.push(batch.then(([, get]) => (get?.ok ? get.value : get?.error)));
        }
      }
      await Promise.all(writes);
      const seen = await Promise.all(reads);
      const expected: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        expected.push(`v${i}`);
        if (i % 10 === 5) expected.push(`v${i}+`);
      }
      assert.deepEqual(seen, expected, 'every read saw the write issued just before it');
    },
  },
]);
