import { RedisService } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';
import { itRefusesBeforeSending, loose } from '../support/table-cases.js';

describe('wait', () => {
  it('sends WAIT on the shared connection and resolves with how many replicas acknowledged', async () => {
    const driver = new FakeDriver().reply(1);
    const redis = new RedisService(driver, { commandTimeoutMs: 1000 });
    await expect(redis.wait(1, 250)).resolves.toBe(1);
    expect(driver.sent).toEqual([['WAIT', '1', '250']]);
  });

  it('takes any timeout when the command timeout is disabled', async () => {
    const driver = new FakeDriver().reply(0);
    const redis = new RedisService(driver, { commandTimeoutMs: 0 });
    await expect(redis.wait(2, 60_000)).resolves.toBe(0);
  });

  itRefusesBeforeSending([
    { name: 'no replicas', run: (r) => r.wait(0, 100) },
    { name: 'a fraction of a replica', run: (r) => r.wait(1.5, 100) },
    { name: 'a timeout of 0 (WAIT would block forever)', run: (r) => r.wait(1, 0) },
    { name: 'a negative timeout', run: (r) => r.wait(1, -5) },
    { name: 'a timeout the command timeout would cut short', run: (r) => r.wait(1, 5000) },
    { name: 'a string', run: (r) => r.wait(loose('1'), 100) },
  ]);
});
