import {
  FIXED_WINDOW_SCRIPT,
  GCRA_SCRIPT,
  type RateLimitOptions,
  RedisCapabilityError,
  RedisConnectionError,
  RedisReplyError,
  RedisSerializationError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
  rateLimitKeys,
  SLIDING_WINDOW_COUNTER_SCRIPT,
  SLIDING_WINDOW_SCRIPT,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

const sliding: RateLimitOptions = { algorithm: 'sliding-window', limit: 10, windowMs: 1000 };

function serviceOver(driver: FakeDriver, options: ConstructorParameters<typeof RedisService>[1] = {}) {
  return new RedisService(driver, { keyPrefix: 'app:', ...options });
}

describe('checkRateLimit', () => {
  it('sends one EVALSHA with the key in the hash tag, under the service prefix', async () => {
    const driver = new FakeDriver().reply([1, 9, 1_000, 0]);
    const result = await serviceOver(driver).checkRateLimit('user:1', { ...sliding, cost: 1 });
    expect(result).toEqual({ allowed: true, limit: 10, remaining: 9, resetAtMs: 1_000, retryAfterMs: 0 });
    expect(driver.sent).toEqual([
      ['EVALSHA', SLIDING_WINDOW_SCRIPT.sha1, 1, 'app:rl:{user:1}:sw', 10, 1000, 1],
    ]);
  });

  it('falls back to EVAL on NOSCRIPT', async () => {
    const driver = new FakeDriver()
      .fail(new RedisReplyError('NOSCRIPT No matching script'))
      .reply([0, 0, 5, 7]);
    const result = await serviceOver(driver).checkRateLimit('k', {
      algorithm: 'fixed-window',
      limit: 3,
      windowMs: 60_000,
    });
    expect(result).toEqual({ allowed: false, limit: 3, remaining: 0, resetAtMs: 5, retryAfterMs: 7 });
    expect(driver.sent.map((command) => command[0])).toEqual(['EVALSHA', 'EVAL']);
    expect(driver.sent[1]?.[1]).toBe(FIXED_WINDOW_SCRIPT.source);
  });

  it('reports the burst as the GCRA limit and passes burst, rate, period and cost', async () => {
    const driver = new FakeDriver().reply([1, 4, 9, 0]);
    const result = await serviceOver(driver).checkRateLimit('k', {
      algorithm: 'gcra',
      rate: 2,
      periodMs: 1000,
      burst: 5,
      cost: 1,
    });
    expect(result.limit).toBe(5);
    expect(driver.sent[0]).toEqual(['EVALSHA', GCRA_SCRIPT.sha1, 1, 'app:rl:{k}:gcra', 5, 2, 1000, 1]);
  });

  it('sends the sliding-window counter as one EVALSHA of limit, window and cost on its own key', async () => {
    const driver = new FakeDriver().reply([1, 6, 120_000, 0]);
    const result = await serviceOver(driver).checkRateLimit('k', {
      algorithm: 'sliding-window-counter',
      limit: 10,
      windowMs: 60_000,
      cost: 4,
    });
    expect(result).toEqual({ allowed: true, limit: 10, remaining: 6, resetAtMs: 120_000, retryAfterMs: 0 });
    expect(driver.sent).toEqual([
      ['EVALSHA', SLIDING_WINDOW_COUNTER_SCRIPT.sha1, 1, 'app:rl:{k}:swc', 10, 60_000, 4],
    ]);
  });

  it('keeps the counter on Redis TIME, one key, and writes only when allowed', () => {
    const source = SLIDING_WINDOW_COUNTER_SCRIPT.source;
    expect(source).toContain("redis.call('TIME')");
    expect(source).not.toMatch(/KEYS\[2\]/);
    // The one write comes after the denial's return.
    const denial = source.indexOf('return { 0');
    const write = source.indexOf("redis.call('SET'");
    expect(denial).toBeGreaterThan(0);
    expect(write).toBeGreaterThan(denial);
    expect(source.match(/redis\.call\('(SET|INCRBY|PEXPIRE|DEL)'/g)).toHaveLength(1);
  });

  it.each<[string, unknown, RateLimitOptions]>([
    ['an empty key', '', sliding],
    ['a zero counter limit', 'k', { algorithm: 'sliding-window-counter', limit: 0, windowMs: 1000 }],
    ['a fractional counter window', 'k', { algorithm: 'sliding-window-counter', limit: 1, windowMs: 0.5 }],
    [
      'a counter cost above the limit',
      'k',
      { algorithm: 'sliding-window-counter', limit: 2, windowMs: 1000, cost: 3 },
    ],
    [
      'a counter limit given as text',
      'k',
      { algorithm: 'sliding-window-counter', limit: '5', windowMs: 1000 } as unknown as RateLimitOptions,
    ],
    ['a zero limit', 'k', { ...sliding, limit: 0 }],
    ['a fractional window', 'k', { ...sliding, windowMs: 1.5 }],
    ['a negative cost', 'k', { ...sliding, cost: -1 }],
    ['a cost above the limit', 'k', { ...sliding, cost: 11 }],
    ['a cost above the burst', 'k', { algorithm: 'gcra', rate: 1, periodMs: 1000, burst: 2, cost: 3 }],
    ['a NaN rate', 'k', { algorithm: 'gcra', rate: Number.NaN, periodMs: 1000, burst: 2 }],
    [
      'an unknown algorithm',
      'k',
      { algorithm: 'leaky', limit: 1, windowMs: 1 } as unknown as RateLimitOptions,
    ],
    ['an unknown policy', 'k', { ...sliding, failurePolicy: 'maybe' } as unknown as RateLimitOptions],
  ])('refuses %s before sending anything', async (_, key, options) => {
    const driver = new FakeDriver();
    await expect(serviceOver(driver).checkRateLimit(key as string, options)).rejects.toBeInstanceOf(
      RedisValidationError,
    );
    expect(driver.sent).toEqual([]);
  });

  it('needs the scripting capability', async () => {
    const driver = new FakeDriver({ capabilities: { scripting: false } });
    await expect(serviceOver(driver).checkRateLimit('k', sliding)).rejects.toBeInstanceOf(
      RedisCapabilityError,
    );
  });

  it('rethrows an unavailable Redis under fail-closed (the default)', async () => {
    const driver = new FakeDriver().fail(new RedisConnectionError('refused'));
    await expect(serviceOver(driver).checkRateLimit('k', sliding)).rejects.toBeInstanceOf(
      RedisConnectionError,
    );
  });

  it('allows a degraded call under fail-open, from the service option or the call', async () => {
    const driver = new FakeDriver()
      .fail(new RedisConnectionError('refused'))
      .fail(new RedisTimeoutError('slow', 5));
    const open = serviceOver(driver, { failurePolicy: 'fail-open' });
    const first = await open.checkRateLimit('k', { ...sliding, cost: 3 });
    expect(first).toMatchObject({ allowed: true, degraded: true, limit: 10, remaining: 7, retryAfterMs: 0 });
    const closedService = serviceOver(driver);
    const second = await closedService.checkRateLimit('k', { ...sliding, failurePolicy: 'fail-open' });
    expect(second.degraded).toBe(true);
  });

  it('lets a per-call fail-closed override a fail-open service', async () => {
    const driver = new FakeDriver().fail(new RedisTimeoutError('slow', 5));
    const open = serviceOver(driver, { failurePolicy: 'fail-open' });
    await expect(
      open.checkRateLimit('k', { ...sliding, failurePolicy: 'fail-closed' }),
    ).rejects.toBeInstanceOf(RedisTimeoutError);
  });

  it('never fails open on a server error reply', async () => {
    const driver = new FakeDriver().fail(new RedisReplyError('WRONGTYPE Operation against a key'));
    const open = serviceOver(driver, { failurePolicy: 'fail-open' });
    await expect(open.checkRateLimit('k', sliding)).rejects.toBeInstanceOf(RedisReplyError);
  });

  it('refuses a reply of the wrong shape', async () => {
    const driver = new FakeDriver().reply(['1', 2, 3, 4]);
    await expect(serviceOver(driver).checkRateLimit('k', sliding)).rejects.toBeInstanceOf(
      RedisSerializationError,
    );
  });

  it('refuses an unknown service failure policy at construction', () => {
    expect(
      () => new RedisService(new FakeDriver(), { failurePolicy: 'nope' as unknown as 'fail-open' }),
    ).toThrow(RedisValidationError);
  });
});

describe('rateLimitKeys', () => {
  it('puts the user key in the hash tag of every key', () => {
    expect(rateLimitKeys('a:b', 'sliding-window')).toEqual(['rl:{a:b}:sw']);
    expect(rateLimitKeys('a:b', 'sliding-window-counter')).toEqual(['rl:{a:b}:swc']);
    expect(rateLimitKeys('a', 'fixed-window')).toEqual(['rl:{a}:fw']);
    expect(rateLimitKeys('a', 'gcra')).toEqual(['rl:{a}:gcra']);
  });
});
