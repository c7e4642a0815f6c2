import { RedisAbortedError, RedisClosedError, RedisConnectionError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { DedicatedPool } from '../../src/blocking/dedicated-pool.js';
import { DedicatedFakeDriver } from '../support/fake-dedicated.js';

describe('DedicatedPool', () => {
  it('opens lazily, reuses what is handed back, and serves waiters first come first served', async () => {
    const driver = new DedicatedFakeDriver();
    const pool = new DedicatedPool(driver, 2, 'test');
    expect(pool.stats).toEqual({ open: 0, inUse: 0, queued: 0, max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const served: string[] = [];
    const c = pool.acquire().then((lease) => {
      served.push('c');
      return lease;
    });
    const d = pool.acquire().then((lease) => {
      served.push('d');
      return lease;
    });
    expect(pool.stats).toEqual({ open: 2, inUse: 2, queued: 2, max: 2 });
    b.release(true);
    a.release(true);
    const [leaseC, leaseD] = await Promise.all([c, d]);
    expect(served).toEqual(['c', 'd']);
    expect(driver.opened).toHaveLength(2);
    expect(new Set([leaseC.connection, leaseD.connection])).toEqual(new Set([a.connection, b.connection]));
    leaseC.release(false);
    expect(driver.opened.filter((connection) => connection.closed)).toHaveLength(1);
    expect(pool.stats).toEqual({ open: 1, inUse: 1, queued: 0, max: 2 });
  });

  it('an abort while waiting leaves the queue; close() rejects the rest and closes every connection', async () => {
    const driver = new DedicatedFakeDriver();
    const pool = new DedicatedPool(driver, 1, 'test');
    await pool.acquire();
    const controller = new AbortController();
    const aborted = pool.acquire(controller.signal);
    const waiting = pool.acquire();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(RedisAbortedError);
    expect(pool.stats.queued).toBe(1);
    await pool.close();
    await expect(waiting).rejects.toBeInstanceOf(RedisClosedError);
    expect(driver.opened.every((connection) => connection.closed)).toBe(true);
    await expect(pool.acquire()).rejects.toBeInstanceOf(RedisClosedError);
  });

  it('drops an idle connection that was lost, and opens a new one next time', async () => {
    const driver = new DedicatedFakeDriver();
    const pool = new DedicatedPool(driver, 2, 'test');
    const lease = await pool.acquire();
    lease.release(true);
    driver.opened[0]!.lose(new RedisConnectionError('gone'));
    await Promise.resolve();
    const next = await pool.acquire();
    expect(next.connection).toBe(driver.opened[1]);
    expect(pool.stats).toEqual({ open: 1, inUse: 1, queued: 0, max: 2 });
  });

  it('hands back its place when a connection cannot be opened', async () => {
    const driver = new DedicatedFakeDriver();
    driver.openDedicated = () => Promise.reject(new RedisConnectionError('refused'));
    const pool = new DedicatedPool(driver, 1, 'test');
    await expect(pool.acquire()).rejects.toBeInstanceOf(RedisConnectionError);
    await expect(pool.acquire()).rejects.toBeInstanceOf(RedisConnectionError);
    expect(pool.stats).toEqual({ open: 0, inUse: 0, queued: 0, max: 1 });
  });
});
