import assert from 'node:assert/strict';
import type { IntegrationCase } from '../case.js';
import { defineCases } from '../cases/integration/support/define-cases.js';
import { startCaseWorkers } from './case-workers.js';
import { isAlive } from './process-alive.js';

async function rejectsWithMessage(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof Error && pattern.test(error.message));
}

/** Cases on the kit's worker-process pool itself, so a broken pool fails here first, not in a multi-process case. */
export const workerCases: IntegrationCase[] = defineCases('workers', [
  {
    slug: 'processes-share-the-prefix',
    name: 'two worker processes rebuild the adapter, write under the case prefix, report job errors and are gone after close()',
    timeoutMs: 60_000,
    async run(ctx) {
      const pool = await startCaseWorkers(ctx, 2);
      const replies = await pool.runAll<{ workerIndex: number; pid: number; reply: unknown }>('ping');
      assert.deepEqual(
        replies.map((reply) => [reply.workerIndex, reply.reply]),
        [
          [0, 'PONG'],
          [1, 'PONG'],
        ],
      );
      assert.notEqual(replies[0]?.pid, replies[1]?.pid, 'each worker is its own process');
      assert.notEqual(replies[0]?.pid, process.pid);
      assert.equal(await ctx.redis.get('worker-pings'), '2', 'the workers wrote under the case prefix');
      await rejectsWithMessage(pool.run(0, 'no-such-job'), /no worker job named 'no-such-job'/);
      await pool.close();
      for (const { pid } of replies) assert.equal(isAlive(pid), false, `worker ${pid} is gone after close()`);
    },
  },
]);
