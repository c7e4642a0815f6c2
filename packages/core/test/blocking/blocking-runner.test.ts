import {
  RedisAbortedError,
  RedisCapabilityError,
  RedisClosedError,
  type RedisCommand,
  RedisConnectionError,
  type RedisReply,
  RedisService,
  RedisTimeoutError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { DedicatedFakeDriver, type FakeDedicated } from '../support/fake-dedicated.js';
import { FakeDriver } from '../support/fake-driver.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(2);
  expect(check()).toBe(true);
}

/** A driver whose shared connection answers CLIENT UNBLOCK with `onUnblock(connection)`. */
function driverWith(onUnblock: (connection: FakeDedicated) => RedisReply): DedicatedFakeDriver {
  const driver: DedicatedFakeDriver = new DedicatedFakeDriver({
    respond: (command: RedisCommand) => {
      if (command[0] === 'CLIENT' && command[1] === 'UNBLOCK') {
        return onUnblock(driver.opened[Number(command[2]) - 1]!);
      }
      return 'OK';
    },
  });
  return driver;
}

const lastPending = (connection: FakeDedicated) => connection.pending.at(-1)!;

describe('blocking commands', () => {
  it('go to a dedicated connection, prefixed, with the timeout in seconds', async () => {
    const driver = new DedicatedFakeDriver();
    driver.prepare = (connection) => {
      connection.answer = () => ['app:q', 'e'];
    };
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(redis.blpop(['q', 'r'], 1.5)).resolves.toEqual({ key: 'q', element: 'e' });
    expect(driver.opened[0]!.sent).toEqual([['BLPOP', 'app:q', 'app:r', '1.5']]);
    expect(driver.sent).toEqual([]);
  });

  it('refuse without the blocking capability before anything is opened', async () => {
    const driver = new FakeDriver({ capabilities: { blocking: false } });
    const redis = new RedisService(driver);
    await expect(redis.blpop('q', 1)).rejects.toBeInstanceOf(RedisCapabilityError);
    await expect(redis.watch('k', (tx) => tx.multi((m) => [m.get('k')]))).rejects.toBeInstanceOf(
      RedisCapabilityError,
    );
    expect(driver.calls).toEqual([]);
  });

  it('an abort confirmed by CLIENT UNBLOCK rejects with RedisAbortedError and keeps the connection', async () => {
    const driver = driverWith((connection) => {
      lastPending(connection).reply.resolve(null);
      return 1;
    });
    const redis = new RedisService(driver);
    const controller = new AbortController();
    const pop = redis.blpop('q', 0, { signal: controller.signal });
    await until(() => driver.opened[0]?.pending.length === 1);
    controller.abort();
    await expect(pop).rejects.toBeInstanceOf(RedisAbortedError);
    expect(driver.sent).toEqual([['CLIENT', 'UNBLOCK', 1]]);
    expect(redis.dedicatedStats).toEqual({ open: 1, inUse: 0, queued: 0, max: 8 });
  });

  it('an abort that lost the race still delivers the element', async () => {
    const driver = driverWith((connection) => {
      // The element reached the pop before the unblock did: the server answers 0, the reply carries it.
      lastPending(connection).reply.resolve(['q', 'e']);
      return 0;
    });
    const redis = new RedisService(driver);
    const controller = new AbortController();
    const pop = redis.blpop('q', 0, { signal: controller.signal });
    await until(() => driver.opened[0]?.pending.length === 1);
    controller.abort();
    await expect(pop).resolves.toEqual({ key: 'q', element: 'e' });
    expect(driver.opened[0]!.closed).toBe(false);
  });

  it('retries CLIENT UNBLOCK while the command has not reached the server yet', async () => {
    let calls = 0;
    const driver = driverWith((connection) => {
      calls++;
      if (calls < 3) return 0;
      lastPending(connection).reply.resolve(null);
      return 1;
    });
    const redis = new RedisService(driver);
    const controller = new AbortController();
    const pop = redis.brpop('q', 0, { signal: controller.signal });
    await until(() => driver.opened[0]?.pending.length === 1);
    controller.abort();
    await expect(pop).rejects.toBeInstanceOf(RedisAbortedError);
    expect(calls).toBe(3);
    expect(driver.opened[0]!.closed).toBe(false);
  });

  it('drops the connection when the unblock is never confirmed within the margin', async () => {
    const driver = driverWith(() => 0);
    const redis = new RedisService(driver, { commandTimeoutMs: 60 });
    const controller = new AbortController();
    const pop = redis.blpop('q', 0, { signal: controller.signal });
    await until(() => driver.opened[0]?.pending.length === 1);
    controller.abort();
    await expect(pop).rejects.toBeInstanceOf(RedisAbortedError);
    expect(driver.opened[0]!.closed).toBe(true);
    expect(redis.dedicatedStats.open).toBe(0);
  });

  it('an abort while waiting for a connection sends nothing', async () => {
    const driver = driverWith((connection) => {
      lastPending(connection).reply.resolve(null);
      return 1;
    });
    const redis = new RedisService(driver, { maxDedicatedConnections: 1 });
    const hold = redis.blpop('hold', 0).catch((error: unknown) => error);
    await until(() => driver.opened[0]?.pending.length === 1);
    const controller = new AbortController();
    const queued = redis.blpop('q', 0, { signal: controller.signal });
    expect(redis.dedicatedStats.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(RedisAbortedError);
    expect(redis.dedicatedStats.queued).toBe(0);
    expect(driver.sent).toEqual([]);
    expect(driver.opened).toHaveLength(1);
    await redis.close();
    expect(await hold).toBeInstanceOf(RedisClosedError);
  });

  it('times out at the server timeout plus the command timeout, and drops the connection', async () => {
    const driver = new DedicatedFakeDriver();
    const redis = new RedisService(driver, { commandTimeoutMs: 30 });
    const error = await redis.blpop('q', 0.02).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect((error as RedisTimeoutError).timeoutMs).toBe(50);
    expect(driver.opened[0]!.closed).toBe(true);
  });

  it('a timeout of 0 has no deadline', async () => {
    const driver = new DedicatedFakeDriver();
    const redis = new RedisService(driver, { commandTimeoutMs: 10 });
    let settled = false;
    const pop = redis.blpop('q', 0).finally(() => {
      settled = true;
    });
    await until(() => driver.opened[0]?.pending.length === 1);
    await sleep(60);
    expect(settled).toBe(false);
    lastPending(driver.opened[0]!).reply.resolve(['q', 'late']);
    await expect(pop).resolves.toEqual({ key: 'q', element: 'late' });
  });

  it('a lost connection fails its pop with the connection error and leaves the pool', async () => {
    const driver = new DedicatedFakeDriver();
    const redis = new RedisService(driver);
    const pop = redis.blpop('q', 0);
    await until(() => driver.opened[0]?.pending.length === 1);
    driver.opened[0]!.lose(new RedisConnectionError('lost'));
    await expect(pop).rejects.toBeInstanceOf(RedisConnectionError);
    expect(redis.dedicatedStats.open).toBe(0);
  });

  it('close() unblocks every pop through the driver, rejects them, then closes connections and driver', async () => {
    const order: string[] = [];
    const driver: DedicatedFakeDriver = driverWith((connection) => {
      order.push(`unblock ${connection.clientId}`);
      lastPending(connection).reply.resolve(connection.clientId === 2 ? ['q', 'taken'] : null);
      return 1;
    });
    const close = driver.close.bind(driver);
    driver.close = () => {
      order.push(`driver closed, dedicated closed: ${driver.opened.map((c) => c.closed).join(',')}`);
      return close();
    };
    const redis = new RedisService(driver);
    const pops = [redis.blpop('q', 0), redis.blpop('q', 0)].map((pop) =>
      pop.then(
        (value) => value,
        (error: unknown) => error,
      ),
    );
    await until(() => driver.opened.length === 2 && driver.opened.every((c) => c.pending.length === 1));
    await redis.close();
    const [first, second] = await Promise.all(pops);
    expect(first).toBeInstanceOf(RedisClosedError);
    // The element taken before the unblock is delivered.
    expect(second).toEqual({ key: 'q', element: 'taken' });
    expect(order).toEqual(['unblock 1', 'unblock 2', 'driver closed, dedicated closed: true,true']);
    await expect(redis.blpop('q', 1)).rejects.toBeInstanceOf(RedisClosedError);
  });
});
