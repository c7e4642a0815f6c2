import {
  execNilError,
  type RedisCommand,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { DedicatedFakeDriver, type FakeDedicated } from '../support/fake-dedicated.js';

/** A driver whose dedicated connections answer GET with `value`, everything else with OK. */
function watchDriver(value = '1'): DedicatedFakeDriver {
  const driver = new DedicatedFakeDriver();
  driver.prepare = (connection) => {
    connection.answer = (command: RedisCommand) => (command[0] === 'GET' ? value : 'OK');
  };
  return driver;
}

const conflict = (commands: readonly RedisCommand[]) =>
  commands.map(() => ({ ok: false as const, error: execNilError() }));

describe('watch', () => {
  it('WATCHes, reads and commits on one dedicated connection, keys prefixed', async () => {
    const driver = watchDriver('41');
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    const outcome = await redis.watch(['n', 'm'], async (tx) => {
      const n = Number(await tx.get('n'));
      return tx.multi((m) => [m.set('n', n + 1), m.incr('m')]);
    });
    expect(outcome).toEqual({
      committed: true,
      attempts: 1,
      results: [
        { ok: true, value: true },
        { ok: false, error: expect.any(Error) },
      ],
    });
    const connection = driver.opened[0]!;
    expect(connection.sent).toEqual([
      ['WATCH', 'app:n', 'app:m'],
      ['GET', 'app:n'],
    ]);
    expect(connection.batches).toEqual([
      {
        commands: [
          ['SET', 'app:n', 42],
          ['INCR', 'app:m'],
        ],
        options: { transaction: true, binary: false },
      },
    ]);
    expect(driver.sent).toEqual([]);
  });

  it('runs the callback again after a conflict, and gives up after maxRetries', async () => {
    const driver = watchDriver();
    driver.prepare = (connection: FakeDedicated) => {
      connection.answer = () => 'OK';
      connection.answerBatch = conflict;
    };
    const redis = new RedisService(driver);
    const attempts: number[] = [];
    const outcome = await redis.watch(
      'n',
      (tx) => {
        attempts.push(tx.attempt);
        return tx.multi((m) => [m.set('n', 'x')]);
      },
      { maxRetries: 2 },
    );
    expect(outcome).toEqual({ committed: false, attempts: 3 });
    expect(attempts).toEqual([1, 2, 3]);
    expect(driver.opened[0]!.sent.filter((command) => command[0] === 'WATCH')).toHaveLength(3);
    expect(redis.dedicatedStats.open).toBe(1);
  });

  it('UNWATCHes when the callback throws, and keeps the connection', async () => {
    const driver = watchDriver();
    const redis = new RedisService(driver);
    const failure = new Error('no');
    await expect(
      redis.watch('n', async (tx) => {
        await tx.get('n');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(driver.opened[0]!.sent.at(-1)).toEqual(['UNWATCH']);
    expect(driver.opened[0]!.closed).toBe(false);
  });

  it('refuses bad input in the commit before MULTI, and UNWATCHes', async () => {
    const driver = watchDriver();
    const redis = new RedisService(driver);
    await expect(
      redis.watch('n', (tx) => tx.multi((m) => [m.set('n', undefined as unknown as string)])),
    ).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.opened[0]!.batches).toEqual([]);
    expect(driver.opened[0]!.sent.at(-1)).toEqual(['UNWATCH']);
  });

  it('refuses a tx used after the callback, and commands after multi()', async () => {
    const driver = watchDriver();
    const redis = new RedisService(driver);
    let kept: { get(key: string): Promise<string | null> } | undefined;
    let afterMulti: Promise<unknown> | undefined;
    await redis.watch('n', (tx) => {
      kept = tx;
      const commit = tx.multi((m) => [m.get('n')]);
      afterMulti = tx.get('n');
      afterMulti.catch(() => {});
      return commit;
    });
    await expect(afterMulti).rejects.toBeInstanceOf(RedisValidationError);
    await expect(kept!.get('n')).rejects.toBeInstanceOf(RedisValidationError);
  });

  it('a read past the command timeout drops the connection', async () => {
    const driver = new DedicatedFakeDriver();
    driver.prepare = (connection) => {
      connection.answer = (command) => (command[0] === 'WATCH' ? 'OK' : undefined);
    };
    const redis = new RedisService(driver, { commandTimeoutMs: 30 });
    await expect(
      redis.watch('n', async (tx) => {
        await tx.get('n');
        return tx.multi(() => []);
      }),
    ).rejects.toBeInstanceOf(RedisTimeoutError);
    expect(driver.opened[0]!.closed).toBe(true);
    expect(redis.dedicatedStats.open).toBe(0);
  });

  it('validates its arguments before opening anything', async () => {
    const driver = watchDriver();
    const redis = new RedisService(driver);
    await expect(redis.watch([], (tx) => tx.multi(() => []))).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.watch('n', (tx) => tx.multi(() => []), { maxRetries: 1.5 })).rejects.toBeInstanceOf(
      RedisValidationError,
    );
    expect(driver.opened).toEqual([]);
  });
});
