import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Cases on HyperLogLogs. */
export const hyperLogLogCases: IntegrationCase[] = defineCases('hyperloglog', [
  {
    slug: 'pfadd-pfcount-pfmerge',
    name: 'pfadd says whether the estimate changed, pfcount estimates one key or a union, pfmerge merges',
    async run({ redis }) {
      assert.equal(await redis.pfadd('a', 'x', 'y', 'z'), true);
      assert.equal(await redis.pfadd('a', 'x'), false, 'nothing new');
      assert.equal(await redis.pfadd('empty'), true, 'pfadd with no elements creates the key');
      assert.equal(await redis.exists('empty'), 1);
      assert.equal(await redis.pfcount('a'), 3, 'small counts are exact');
      await redis.pfadd('b', 'z', 'w');
      assert.equal(await redis.pfcount('a', 'b'), 4, 'the union');
      assert.equal(await redis.pfcount('missing'), 0);
      assert.equal(await redis.pfmerge('m', 'a', 'b'), true);
      assert.equal(await redis.pfcount('m'), 4);
      const many = Array.from({ length: 5000 }, (_, i) => `e${i}`);
      await redis.pfadd('big', ...many);
      const estimate = await redis.pfcount('big');
      assert.ok(Math.abs(estimate - 5000) < 5000 * 0.05, `an estimate within 5%: ${estimate}`);
    },
  },
]);
