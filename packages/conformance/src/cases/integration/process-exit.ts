import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { runExitProbe } from '../../workers/exit-probe.js';
import { workerSkipReason } from '../../workers/worker-pool.js';
import { defineCases } from './support/define-cases.js';

/** How long the child may live on after closing everything: a hang guard, not a measurement. */
const EXIT_WITHIN_MS = 20_000;
/** How long the child may take to load the adapter (through tsx, say), use it and close it. */
const WORK_WITHIN_MS = 60_000;

/** Cases on what a closed service leaves behind in its process. */
export const processExitCases: IntegrationCase[] = defineCases('process', [
  {
    slug: 'exits-after-close',
    name: 'a process that builds the adapter, uses a service (commands, a pipeline, a transaction, a subscription) and closes it ends by itself: no socket or timer holds it',
    timeoutMs: WORK_WITHIN_MS + EXIT_WITHIN_MS + 10_000,
    async run(ctx) {
      const reason = workerSkipReason(ctx.adapter);
      if (reason) ctx.skip(reason);
      const outcome = await runExitProbe({
        adapter: ctx.adapter,
        url: ctx.url,
        prefix: ctx.prefix,
        workTimeoutMs: WORK_WITHIN_MS,
        exitTimeoutMs: EXIT_WITHIN_MS,
      });
      const tail = outcome.stderr.trim() ? `; its stderr ends with:\n${outcome.stderr.trim()}` : '';
      if (outcome.status === 'lingered') {
        assert.fail(`the process was still running ${EXIT_WITHIN_MS} ms after close() and teardown${tail}`);
      }
      if (outcome.status === 'no-close') {
        assert.fail(
          `the process did not get through using and closing the service within ${WORK_WITHIN_MS} ms${tail}`,
        );
      }
      assert.equal(outcome.closed, true, `the process ended before it closed the service${tail}`);
      assert.equal(
        outcome.code,
        0,
        `the process ended with code ${outcome.code} (signal ${outcome.signal})${tail}`,
      );
    },
  },
]);
