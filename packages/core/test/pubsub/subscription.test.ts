import {
  RedisCapabilityError,
  RedisClosedError,
  RedisSerializationError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
  SubscriptionOverflowError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';
import { FakePubSubDriver } from './fake-pubsub-driver.js';

function setup() {
  const driver = new FakePubSubDriver();
  const redis = new RedisService(driver, { keyPrefix: 'app:' });
  return { driver, redis };
}

async function take(iterator: AsyncIterator<unknown>, count: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const result = await iterator.next();
    if (result.done) break;
    out.push(result.value);
  }
  return out;
}

describe('publish', () => {
  it('sends PUBLISH with the channel as given (no key prefix) and returns the receiver count', async () => {
    const { driver, redis } = setup();
    driver.reply(2);
    await expect(redis.publish('news', 'hello')).resolves.toBe(2);
    expect(driver.sent).toEqual([['PUBLISH', 'news', 'hello']]);
  });

  it('publishJson encodes with encodeJson and refuses bad values before sending', async () => {
    const { driver, redis } = setup();
    driver.reply(1);
    await redis.publishJson('news', { a: 1 });
    expect(driver.sent).toEqual([['PUBLISH', 'news', '{"a":1}']]);
    await expect(redis.publishJson('news', { n: 1n })).rejects.toBeInstanceOf(RedisSerializationError);
    await expect(redis.publishJson('news', undefined)).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.publish('', 'x')).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.sent).toHaveLength(1);
  });
});

describe('subscribe', () => {
  it('needs the pubsub capability', async () => {
    const redis = new RedisService(new FakeDriver());
    await expect(redis.subscribe('news')).rejects.toBeInstanceOf(RedisCapabilityError);
    await expect(redis.psubscribe('news.*')).rejects.toBeInstanceOf(RedisCapabilityError);
  });

  it('validates names and options', async () => {
    const { redis } = setup();
    await expect(redis.subscribe()).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.subscribe('')).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.subscribe('a', { bufferSize: 0 })).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.subscribe('a', { overflow: 'grow' as unknown as 'error' })).rejects.toBeInstanceOf(
      RedisValidationError,
    );
  });

  it('delivers messages in order, channels not prefixed, patterns reported', async () => {
    const { driver, redis } = setup();
    const sub = await redis.subscribe('a', 'b');
    const psub = await redis.psubscribe('news.*');
    expect(sub.channels).toEqual(['a', 'b']);
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'SUBSCRIBE b', 'PSUBSCRIBE news.*']);
    driver.emit('a', '1');
    driver.emit('b', '2');
    driver.emit('a', '3');
    driver.emit('news.x', 'n', 'news.*');
    const iterator = sub[Symbol.asyncIterator]();
    expect(await take(iterator, 3)).toEqual([
      { channel: 'a', message: '1' },
      { channel: 'b', message: '2' },
      { channel: 'a', message: '3' },
    ]);
    expect(await take(psub[Symbol.asyncIterator](), 1)).toEqual([
      { channel: 'news.x', pattern: 'news.*', message: 'n' },
    ]);
  });

  it('unsubscribe() and disposal settle within the command timeout when the driver never answers', async () => {
    const driver = new FakePubSubDriver();
    driver.holdUnsubscribe = new Promise(() => {});
    const redis = new RedisService(driver, { commandTimeoutMs: 50 });
    const first = await redis.subscribe('a');
    await expect(first.unsubscribe()).resolves.toBeUndefined();
    await (async () => {
      await using _second = await redis.subscribe('b');
    })();
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a', 'SUBSCRIBE b', 'UNSUBSCRIBE b']);
  });

  it('wakes a waiting reader when a message arrives', async () => {
    const { driver, redis } = setup();
    const sub = await redis.subscribe('a');
    const next = sub[Symbol.asyncIterator]().next();
    driver.emit('a', 'x');
    await expect(next).resolves.toEqual({ done: false, value: { channel: 'a', message: 'x' } });
  });

  it('shares one server subscription per name and releases it with the last subscriber', async () => {
    const { driver, redis } = setup();
    const one = await redis.subscribe('a');
    const two = await redis.subscribe('a');
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a']);
    driver.emit('a', 'both');
    await one.unsubscribe();
    driver.emit('a', 'two only');
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a']);
    await expect(one[Symbol.asyncIterator]().next()).resolves.toEqual({ done: true, value: undefined });
    expect(await take(two[Symbol.asyncIterator](), 2)).toEqual([
      { channel: 'a', message: 'both' },
      { channel: 'a', message: 'two only' },
    ]);
    await two.unsubscribe();
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });

  it("'drop-oldest' keeps the newest bufferSize messages and counts the rest", async () => {
    const { driver, redis } = setup();
    const sub = await redis.subscribe('a', { bufferSize: 3 });
    for (let i = 0; i < 10; i++) driver.emit('a', String(i));
    expect(sub.dropped).toBe(7);
    const iterator = sub[Symbol.asyncIterator]();
    expect((await take(iterator, 3)).map((m) => (m as { message: string }).message)).toEqual(['7', '8', '9']);
    driver.emit('a', 'later');
    expect(await take(iterator, 1)).toEqual([{ channel: 'a', message: 'later' }]);
  });

  it("'error' yields what was buffered, then throws SubscriptionOverflowError and ends", async () => {
    const { driver, redis } = setup();
    const sub = await redis.subscribe('a', { bufferSize: 2, overflow: 'error' });
    for (let i = 0; i < 5; i++) driver.emit('a', String(i));
    const iterator = sub[Symbol.asyncIterator]();
    expect(await take(iterator, 2)).toHaveLength(2);
    const error = await iterator.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubscriptionOverflowError);
    expect((error as SubscriptionOverflowError).code).toBe('ERR_REDIS_OVERFLOW');
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    await Promise.resolve();
    expect(sub.closed).toBe(true);
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });

  it('json() decodes each message and stops with RedisSerializationError on text that is not JSON', async () => {
    const { driver, redis } = setup();
    const sub = await redis.psubscribe('j*');
    driver.emit('j1', '{"a":1}', 'j*');
    driver.emit('j2', 'not json', 'j*');
    const values: unknown[] = [];
    const reading = (async () => {
      for await (const { channel, pattern, value } of sub.json<{ a: number }>()) {
        values.push({ channel, pattern, value });
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(RedisSerializationError);
    expect(values).toEqual([{ channel: 'j1', pattern: 'j*', value: { a: 1 } }]);
    expect(sub.closed).toBe(true);
  });

  it('leaving a for-await loop early unsubscribes', async () => {
    const { driver, redis } = setup();
    const sub = await redis.subscribe('a');
    driver.emit('a', '1');
    driver.emit('a', '2');
    for await (const _message of sub) break;
    expect(sub.closed).toBe(true);
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });

  it('await using unsubscribes at the end of the scope', async () => {
    const { driver, redis } = setup();
    {
      await using sub = await redis.subscribe('a');
      expect(sub.closed).toBe(false);
    }
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });

  it('close() ends every iterator, waiting ones included, and later subscribes reject', async () => {
    const { redis } = setup();
    const one = await redis.subscribe('a');
    const two = await redis.psubscribe('b*');
    const waiting = [one[Symbol.asyncIterator]().next(), two[Symbol.asyncIterator]().next()];
    await redis.close();
    await expect(Promise.all(waiting)).resolves.toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    await expect(redis.subscribe('a')).rejects.toBeInstanceOf(RedisClosedError);
  });

  it('a subscription confirmed after the deadline is released', async () => {
    const driver = new FakePubSubDriver();
    const redis = new RedisService(driver, { commandTimeoutMs: 20 });
    let confirm = () => {};
    driver.hold = new Promise<void>((resolve) => {
      confirm = resolve;
    });
    await expect(redis.subscribe('a')).rejects.toBeInstanceOf(RedisTimeoutError);
    confirm();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(driver.serverCalls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });
});
