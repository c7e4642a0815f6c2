import { RedisTimeoutError } from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { HANG } from '../../fake/script.js';
import { assertInstance, PROMPT_FAILURE_MS, scenario, settleWithin } from './unit-support.js';

/** The command timeout the case gives the driver. */
const SHORT_TIMEOUT_MS = 300;

const pipelineTimeout: UnitCase = {
  id: 'faults/pipeline-timeout',
  group: 'faults',
  name: "a pipeline whose server never answers fails with RedisTimeoutError after the driver's commandTimeoutMs, as a whole or command by command",
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(
      ctx,
      (command) => (command[0] === 'GET' ? HANG : undefined),
      SHORT_TIMEOUT_MS,
    );
    const outcome = await settleWithin(
      driver.batch(
        [
          ['GET', 'a'],
          ['GET', 'b'],
        ],
        { transaction: false },
      ),
      PROMPT_FAILURE_MS,
      'a pipeline on a server that never answers',
    );
    // The port lets a driver reject the batch or settle each command with the error; either way
    // the error must say what happened: the time ran out, the connection was not lost.
    if (!outcome.ok) {
      assertInstance(outcome.error, RedisTimeoutError, 'the pipeline');
      return;
    }
    for (const [index, result] of outcome.value.entries()) {
      if (result.ok) throw new Error(`GET #${index + 1} resolved though the server never answered`);
      assertInstance(result.error, RedisTimeoutError, `GET #${index + 1}`);
    }
  },
};

/** Timeouts beyond a single command: a pipeline's. */
export const timeoutFaultCases: readonly UnitCase[] = [pipelineTimeout];
