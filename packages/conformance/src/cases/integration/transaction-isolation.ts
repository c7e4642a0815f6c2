import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { settledValue } from './support/settled-value.js';

/**
 * Cases on MULTI/EXEC as other callers of the same driver see it: a transaction is one unit on
 * the wire, so nothing another caller sends meanwhile can land inside it.
 */
export const transactionIsolationCases: IntegrationCase[] = defineCases('transactions', [
  {
    slug: 'isolated-from-concurrent-callers',
    name: 'reads issued by other callers while a 20-command transaction runs are answered with the value, never QUEUED, and the transaction gets only its own results',
    requires: ['transactions'],
    async run({ redis }) {
      await redis.set('other', 'plain');
      let running = true;
      const answers: unknown[] = [];
      // Four callers read in a loop for as long as the transaction is in flight.
      const readers = Array.from({ length: 4 }, async () => {
        while (running) answers.push(await redis.get('other'));
      });
      let results: Awaited<ReturnType<typeof redis.transaction>>;
      try {
        results = await redis.transaction((t) => Array.from({ length: 20 }, () => t.incr('counter')));
      } finally {
        running = false;
        await Promise.all(readers);
      }
      assert.ok(answers.length >= 4, 'the other callers did read');
      const odd = answers.filter((answer) => answer !== 'plain');
      assert.deepEqual(odd, [], 'every read by another caller saw the value');
      assert.deepEqual(
        results.map((result, i) => settledValue(result, `incr #${i}`)),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.equal(await redis.get('counter'), '20');
    },
  },
  {
    slug: 'concurrent-transactions-stay-apart',
    name: 'ten transactions issued at once each get their own results, and each runs as one unit',
    requires: ['transactions'],
    async run({ redis }) {
      const transactions = Array.from({ length: 10 }, (_, i) =>
        redis.transaction((t) => [
          t.set(`k${i}`, `v${i}`),
          t.incr('shared'),
          t.get(`k${i}`),
          t.incr('shared'),
        ]),
      );
      const outcomes = await Promise.all(transactions);
      const counters: number[] = [];
      for (const [i, [set, first, get, second]] of outcomes.entries()) {
        assert.strictEqual(settledValue(set, `set in transaction ${i}`), true);
        assert.strictEqual(settledValue(get, `get in transaction ${i}`), `v${i}`);
        const a = settledValue(first, `first incr in transaction ${i}`) as number;
        const b = settledValue(second, `second incr in transaction ${i}`) as number;
        assert.equal(b, a + 1, `transaction ${i}'s two INCRs ran back to back (${a}, ${b})`);
        counters.push(a, b);
      }
      assert.deepEqual(
        counters.sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    },
  },
]);
