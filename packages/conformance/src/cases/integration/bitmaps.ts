import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Cases on bitmaps. */
export const bitmapCases: IntegrationCase[] = defineCases('bitmaps', [
  {
    slug: 'setbit-getbit-bitcount',
    name: 'setbit resolves with the previous bit, getbit reads bits (0 past the end), bitcount counts by bytes or bits',
    async run({ redis }) {
      assert.strictEqual(await redis.setbit('b', 7, 1), 0);
      assert.strictEqual(await redis.setbit('b', 7, 1), 1, 'the previous bit');
      assert.strictEqual(await redis.setbit('b', 1, 1), 0);
      await redis.setbit('b', 9, 1);
      await redis.setbit('b', 15, 1);
      assert.strictEqual(await redis.getbit('b', 7), 1);
      assert.strictEqual(await redis.getbit('b', 6), 0);
      assert.strictEqual(await redis.getbit('b', 10_000), 0, 'past the end');
      assert.strictEqual(await redis.getbit('missing', 3), 0);
      assert.equal(
        await redis.get('b'),
        'AA',
        'bit 0 is the most significant bit of a byte: 0b01000001 twice',
      );
      assert.equal(await redis.bitcount('b'), 4);
      assert.equal(await redis.bitcount('b', { start: 1, end: 1 }), 2, 'the second byte');
      assert.equal(await redis.bitcount('b', { start: 0, end: 6, unit: 'bit' }), 1, 'bits 0-6');
      assert.equal(await redis.bitcount('b', { start: -1, end: -1 }), 2, 'the last byte');
      assert.equal(await redis.bitcount('missing'), 0);
      assert.strictEqual(await redis.setbit('b', 7, 0), 1);
      assert.equal(await redis.bitcount('b'), 3);
    },
  },
]);
