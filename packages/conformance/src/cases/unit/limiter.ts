import assert from 'node:assert/strict';
import { RedisQueueTimeoutError, RedisService } from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { HANG } from '../../fake/script.js';
import { commandsNamed, PROMPT_FAILURE_MS, rejectsWithin, scenario } from './unit-support.js';

/** The queue timeout the case gives its service: short, so a hang guard of seconds is generous. */
const QUEUE_TIMEOUT_MS = 300;

const queueTimeoutNeverSent: UnitCase = {
  id: 'limiter/queue-timeout-never-sent',
  group: 'limiter',
  name: 'a command queued behind one the server never answers rejects with RedisQueueTimeoutError after queueTimeoutMs and is never sent, while the one in flight keeps its own clock',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'GET' && command[1] === 'held' ? HANG : undefined,
    );
    const redis = new RedisService(driver, {
      maxInflight: 1,
      commandTimeoutMs: 60_000,
      queueTimeoutMs: QUEUE_TIMEOUT_MS,
    });
    ctx.defer(() => redis.close());
    const held = redis.get('held');
    held.catch(() => {});
    await server.waitForCommand((command) => command.argv[0] === 'GET' && command.argv[1] === 'held');
    const error = await rejectsWithin(
      redis.get('queued'),
      RedisQueueTimeoutError,
      PROMPT_FAILURE_MS,
      'a GET queued behind a GET the server never answers',
    );
    assert.equal(error.sent, false, 'the error says the command was never sent');
    assert.equal(error.timeoutMs, QUEUE_TIMEOUT_MS);
    assert.deepEqual(
      commandsNamed(server, 'GET'),
      [['GET', 'held']],
      'the queued GET never reached the server',
    );
    assert.deepEqual(
      { active: redis.stats.active, queued: redis.stats.queued },
      { active: 1, queued: 0 },
      'the GET in flight still holds its permit (its command timeout is 60 s), the queued one left',
    );
  },
};

/** Unit cases on the service's limiter over the adapter's driver. */
export const limiterCases: UnitCase[] = [queueTimeoutNeverSent];
