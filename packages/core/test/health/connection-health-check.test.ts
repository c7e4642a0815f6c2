import { RedisConnectionError, RedisReplyError, RedisService, RedisTimeoutError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

/** A fake driver that records resetConnection calls. */
class ResettableDriver extends FakeDriver {
  readonly resets: Error[] = [];
  resetConnection(reason: Error): void {
    this.resets.push(reason);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(5);
  }
}

function pings(driver: FakeDriver): number {
  return driver.sent.filter((command) => command[0] === 'PING').length;
}

describe('the health check after a command timeout', () => {
  it('resets the connection when the PING after a timeout gets no answer either', async () => {
    const driver = new ResettableDriver().hang(2); // the GET, then the PING
    const redis = new RedisService(driver, { commandTimeoutMs: 40, endpointId: 'cache' });
    await expect(redis.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
    await until(() => driver.resets.length === 1, 'the reset');
    expect(pings(driver)).toBe(1);
    const [reason] = driver.resets;
    expect(reason).toBeInstanceOf(RedisConnectionError);
    expect(reason?.message).toMatch(/cache.*half-open.*PING got no answer within 40 ms/);
    // The PING took no permit: the service was free for callers all along.
    expect(redis.stats.active).toBe(0);
  });

  it('leaves a connection that answers the PING alone, an error reply included', async () => {
    for (const answer of ['PONG', new RedisReplyError('BUSY Redis is busy running a script')]) {
      const driver = new ResettableDriver().hang();
      if (typeof answer === 'string') driver.reply(answer);
      else driver.fail(answer);
      const redis = new RedisService(driver, { commandTimeoutMs: 40 });
      await expect(redis.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
      await until(() => pings(driver) === 1, 'the PING');
      await sleep(80);
      expect(driver.resets).toEqual([]);
    }
  });

  it('leaves a connection the driver already knows is lost to the driver', async () => {
    const driver = new ResettableDriver().hang().fail(new RedisConnectionError('reset by peer'));
    const redis = new RedisService(driver, { commandTimeoutMs: 40 });
    await expect(redis.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
    await until(() => pings(driver) === 1, 'the PING');
    await sleep(80);
    expect(driver.resets).toEqual([]);
  });

  it('also checks after a timeout the driver reported itself', async () => {
    const driver = new ResettableDriver().fail(new RedisTimeoutError('driver timeout', 30)).hang();
    const redis = new RedisService(driver, { commandTimeoutMs: 5000, healthCheckTimeoutMs: 40 });
    await expect(redis.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
    await until(() => driver.resets.length === 1, 'the reset');
  });

  it('runs one check at a time, however many commands time out together', async () => {
    const driver = new ResettableDriver().hang(21);
    const redis = new RedisService(driver, { commandTimeoutMs: 40, healthCheckTimeoutMs: 200 });
    const calls = Array.from({ length: 20 }, (_, i) => redis.get(`k${i}`).catch((error: unknown) => error));
    for (const error of await Promise.all(calls)) expect(error).toBeInstanceOf(RedisTimeoutError);
    await until(() => driver.resets.length === 1, 'the reset');
    expect(pings(driver)).toBe(1);
  });

  it('does not check a driver without resetConnection, nor when healthCheckTimeoutMs is 0', async () => {
    const plain = new FakeDriver().hang();
    const one = new RedisService(plain, { commandTimeoutMs: 30 });
    await expect(one.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
    const disabled = new ResettableDriver().hang();
    const two = new RedisService(disabled, { commandTimeoutMs: 30, healthCheckTimeoutMs: 0 });
    await expect(two.get('k')).rejects.toBeInstanceOf(RedisTimeoutError);
    await sleep(60);
    expect(pings(plain) + pings(disabled)).toBe(0);
    expect(disabled.resets).toEqual([]);
  });

  it('refuses a healthCheckTimeoutMs that is not a number >= 0', () => {
    expect(() => new RedisService(new FakeDriver(), { healthCheckTimeoutMs: -1 })).toThrow(
      /healthCheckTimeoutMs/,
    );
  });
});
