import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Cases on HyperLogLogs. */
export const hyperLogLogCases: IntegrationCase[] = defineCases('hyperloglog', [
  {
    slug: 'pfadd-pfcount-pfmerge',
    name: 'pfadd says whether the estimate changed, pfcount estimates one key or a union, pfmerge merges',
    // The keys one command combines share a hash tag, so the case means the same on a Redis Cluster.
    async run({ redis }) {
      assert.equal(await redis.pfadd('{h}a', 'x', 'y', 'z'), true);
      assert.equal(await redis.pfadd('{h}a', 'x'), false, 'nothing new');
      assert.equal(await redis.pfadd('empty'), true, 'pfadd with no elements creates the key');
      assert.equal(await redis.exists('empty'), 1);
      assert.equal(await redis.pfcount('{h}a'), 3, 'small counts are exact');
      await redis.pfadd('{h}b', 'z', 'w');
      assert.equal(await redis.pfcount('{h}a', '{h}b'), 4, 'the union');
      assert.equal(await redis.pfcount('missing'), 0);
      assert.equal(await redis.pfmerge('{h}m', '{h}a', '{h}b'), true);
      assert.equal(await redis.pfcount('{h}m'), 4);
      const many = Array.from({ length: 5000 }, (_, i) => `e${i}`);
      await redis.pfadd('big', ...many);
      const estimate = await redis.pfcount('big');
      assert.ok(Math.abs(estimate - 5000) < 5000 * 0.05, `an estimate within 5%: ${estimate}`);
    },
  },
]);
