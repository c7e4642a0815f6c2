import { getEventListeners } from 'node:events';
import {
  InflightLimiter,
  RedisAbortedError,
  RedisClosedError,
  RedisQueueTimeoutError,
  RedisService,
  RedisValidationError,
} from '@redis-service/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

/** Lets queued promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('InflightLimiter', () => {
  it('refuses a ceiling that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new InflightLimiter(bad)).toThrow(RedisValidationError);
    }
    expect(new InflightLimiter(1).stats.maxInflight).toBe(1);
  });

  it('grants permits in FIFO order under contention', async () => {
    const limiter = new InflightLimiter(2);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    const order: number[] = [];
    const waiters = Array.from({ length: 20 }, (_, i) =>
      limiter.acquire().then((release) => {
        order.push(i);
        return release;
      }),
    );
    expect(limiter.stats.queued).toBe(20);
    first();
    second();
    // Release each granted permit as soon as it arrives, so every waiter gets one in turn.
    for (const waiter of waiters) (await waiter)();
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0, peak: 2 });
  });

  it('never holds more than the ceiling with 2,000 tasks of random duration', async () => {
    const max = 16;
    const limiter = new InflightLimiter(max);
    let active = 0;
    let highest = 0;
    const started: number[] = [];
    const task = async (id: number) => {
      const release = await limiter.acquire();
      try {
        active++;
        highest = Math.max(highest, active);
        started.push(id);
        expect(active).toBeLessThanOrEqual(max);
        expect(limiter.stats.active).toBeLessThanOrEqual(max);
        const delay = Math.random();
        if (delay < 0.3) await Promise.resolve();
        else if (delay < 0.6) await settle();
        else await new Promise((resolve) => setTimeout(resolve, Math.floor(delay * 3)));
      } finally {
        active--;
        release();
      }
    };
    await Promise.all(Array.from({ length: 2000 }, (_, i) => task(i)));
    expect(highest).toBe(max);
    expect(limiter.stats).toEqual({ active: 0, queued: 0, peak: max, maxInflight: max });
    // FIFO: every task started in the order it asked.
    expect(started).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('tracks active, queued and peak, and resetPeak starts afresh', async () => {
    const limiter = new InflightLimiter(3);
    const held = [await limiter.acquire(), await limiter.acquire(), await limiter.acquire()];
    const waiting = [limiter.acquire(), limiter.acquire()];
    expect(limiter.stats).toEqual({ active: 3, queued: 2, peak: 3, maxInflight: 3 });
    held[0]!();
    const fourth = await waiting[0]!;
    expect(limiter.stats).toMatchObject({ active: 3, queued: 1, peak: 3 });
    held[1]!();
    held[2]!();
    fourth();
    (await waiting[1]!)();
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0, peak: 3 });
    limiter.resetPeak();
    expect(limiter.stats.peak).toBe(0);
    const again = await limiter.acquire();
    expect(limiter.stats.peak).toBe(1);
    again();
  });

  it('rejects a waiter whose signal aborts, keeps FIFO and frees its place for the next', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const a = limiter.acquire().then((release) => {
      order.push('a');
      return release;
    });
    const b = limiter.acquire(controller.signal);
    const c = limiter.acquire().then((release) => {
      order.push('c');
      return release;
    });
    expect(limiter.stats.queued).toBe(3);
    controller.abort();
    await expect(b).rejects.toBeInstanceOf(RedisAbortedError);
    expect(limiter.stats.queued).toBe(2);
    holder();
    (await a)();
    (await c)();
    expect(order).toEqual(['a', 'c']);
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
  });

  it('lets a free permit be taken at once after the only waiter aborted', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('caller gave up'));
    const error = await waiting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisAbortedError);
    expect((error as RedisAbortedError).cause).toBeInstanceOf(Error);
    holder();
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
    const next = limiter.tryAcquire();
    expect(next).toBeTypeOf('function');
    next?.();
  });

  it('rejects at once when the signal is already aborted, without taking a permit', async () => {
    const limiter = new InflightLimiter(2);
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toBeInstanceOf(RedisAbortedError);
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0, peak: 0 });
  });

  it('passes a RedisError abort reason through unchanged', async () => {
    const limiter = new InflightLimiter(1);
    const reason = new RedisClosedError('shutting down');
    await expect(limiter.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('close rejects waiters with RedisClosedError, then every later acquire', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const controller = new AbortController();
    const waiters = [limiter.acquire(), limiter.acquire(controller.signal)];
    limiter.close();
    for (const waiter of waiters) await expect(waiter).rejects.toBeInstanceOf(RedisClosedError);
    await expect(limiter.acquire()).rejects.toBeInstanceOf(RedisClosedError);
    expect(limiter.tryAcquire()).toBeUndefined();
    expect(limiter.stats.queued).toBe(0);
    // A held permit stays valid and releasing it after close is harmless.
    holder();
    expect(limiter.stats.active).toBe(0);
    // Aborting after close does nothing more (the listener was removed).
    controller.abort();
    limiter.close();
  });

  it('treats a second release of the same permit as a no-op', async () => {
    const limiter = new InflightLimiter(1);
    const first = await limiter.acquire();
    const waiting = limiter.acquire();
    first();
    first();
    const second = await waiting;
    expect(limiter.stats.active).toBe(1);
    first();
    expect(limiter.stats.active).toBe(1);
    expect(limiter.tryAcquire()).toBeUndefined();
    second();
    second();
    expect(limiter.stats.active).toBe(0);
  });

  it('tryAcquire takes a free permit but never jumps the queue', async () => {
    const limiter = new InflightLimiter(1);
    const held = limiter.tryAcquire();
    expect(held).toBeTypeOf('function');
    expect(limiter.tryAcquire()).toBeUndefined();
    const waiting = limiter.acquire();
    held?.();
    // The waiter was granted the permit on release, so there is none to try for.
    expect(limiter.tryAcquire()).toBeUndefined();
    (await waiting)();
    const free = limiter.tryAcquire();
    expect(free).toBeTypeOf('function');
    free?.();
  });

  it('keeps FIFO across a deep queue (compaction of the waiting list)', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const order: number[] = [];
    const waiters = Array.from({ length: 5000 }, (_, i) =>
      limiter.acquire().then((release) => {
        order.push(i);
        release();
      }),
    );
    holder();
    await Promise.all(waiters);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
  });
});

describe('InflightLimiter: leaving the queue early', () => {
  let warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('keeps FIFO and exact counts when every other waiter of a deep queue aborts', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const controllers = Array.from({ length: 4000 }, () => new AbortController());
    const order: number[] = [];
    const waiters = controllers.map((controller, i) =>
      limiter.acquire(controller.signal).then(
        (release) => {
          order.push(i);
          release();
        },
        (error: unknown) => {
          expect(error).toBeInstanceOf(RedisAbortedError);
        },
      ),
    );
    controllers.forEach((controller, i) => {
      if (i % 2 === 1) controller.abort();
    });
    expect(limiter.stats.queued).toBe(2000);
    holder();
    await Promise.all(waiters);
    expect(order).toEqual(Array.from({ length: 2000 }, (_, i) => i * 2));
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
  });

  it('hangs one listener on a signal shared by any number of waiters, and none once they are gone', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const shared = new AbortController();
    const waiters = Array.from({ length: 5000 }, () =>
      limiter.acquire(shared.signal).catch((e: unknown) => e),
    );
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort();
    const outcomes = await Promise.all(waiters);
    expect(outcomes.every((outcome) => outcome instanceof RedisAbortedError)).toBe(true);
    expect(limiter.stats.queued).toBe(0);
    const granted = new AbortController();
    const next = limiter.acquire(granted.signal);
    holder();
    (await next)();
    expect(getEventListeners(granted.signal, 'abort')).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('through a service: commands queued and in flight under one signal print no MaxListenersExceededWarning', async () => {
    const driver = new FakeDriver().hang(16);
    const redis = new RedisService(driver, { maxInflight: 16, commandTimeoutMs: 0 });
    const shared = new AbortController();
    const calls = Array.from({ length: 100 }, (_, i) =>
      redis.command(['GET', `k${i}`], { signal: shared.signal }).catch((e: unknown) => e),
    );
    expect(redis.stats).toMatchObject({ active: 16, queued: 84 });
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort();
    const outcomes = await Promise.all(calls);
    expect(outcomes.every((outcome) => outcome instanceof RedisAbortedError)).toBe(true);
    expect(redis.stats).toMatchObject({ active: 0, queued: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    await redis.close();
  });
});

describe('InflightLimiter: queue timeouts', () => {
  it('rejects a waiter that got no permit within its timeout with RedisQueueTimeoutError, keeping FIFO for the rest', async () => {
    const limiter = new InflightLimiter(1, { name: "redis endpoint 'x'" });
    const holder = await limiter.acquire();
    const patient = limiter.acquire();
    const hasty = limiter.acquire(undefined, 20);
    const after = limiter.acquire();
    const error = await hasty.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisQueueTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 20, sent: false });
    expect((error as Error).message).toMatch(/^redis endpoint 'x': no inflight permit within 20 ms/);
    expect(limiter.stats.queued).toBe(2);
    holder();
    (await patient)();
    (await after)();
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
  });

  it('times out waiters of different timeouts (services sharing a limiter) each on its own clock', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const order: number[] = [];
    const waiters = [60, 10, 60, 10, 30].map((ms, i) =>
      limiter.acquire(undefined, ms).catch(() => {
        order.push(ms);
        return i;
      }),
    );
    await Promise.all(waiters);
    expect(order).toEqual([10, 10, 30, 60, 60]);
    expect(limiter.stats).toMatchObject({ active: 1, queued: 0 });
    holder();
  });

  it('never grants a permit to a waiter whose deadline passed before its timer ran', async () => {
    const limiter = new InflightLimiter(1);
    const holder = await limiter.acquire();
    const late = limiter.acquire(undefined, 5);
    // Block the event loop past the deadline, then release: the timer has not run yet.
    const until = performance.now() + 20;
    while (performance.now() < until) {
      // busy
    }
    holder();
    await expect(late).rejects.toBeInstanceOf(RedisQueueTimeoutError);
    expect(limiter.stats).toMatchObject({ active: 0, queued: 0 });
  });

  it('close clears pending timeouts and rejects the waiters with RedisClosedError', async () => {
    const limiter = new InflightLimiter(1);
    await limiter.acquire();
    const waiting = limiter.acquire(undefined, 60_000);
    limiter.close();
    await expect(waiting).rejects.toBeInstanceOf(RedisClosedError);
  });
});
