import {
  type BatchSettled,
  RedisCapabilityError,
  RedisReplyError,
  RedisSerializationError,
  RedisService,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { deferred } from '../support/deferred.js';
import { FakeDriver } from '../support/fake-driver.js';

const slowSchema = z.object({ n: z.number() }).refine(async () => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return true;
});

describe('pipeline and transaction', () => {
  it('sends the commands as one pipeline in call order and settles each', async () => {
    const driver = new FakeDriver().reply(5, 'v', null);
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    const [n, v, missing] = await redis.pipeline((p) => [p.incr('a'), p.get('b'), p.get('c')]);
    expect(n).toEqual({ ok: true, value: 5 });
    expect(v).toEqual({ ok: true, value: 'v' });
    expect(missing).toEqual({ ok: true, value: null });
    expect(driver.calls).toEqual([
      {
        method: 'batch',
        commands: [
          ['INCR', 'app:a'],
          ['GET', 'app:b'],
          ['GET', 'app:c'],
        ],
        options: { transaction: false, binary: false },
      },
    ]);
  });

  it('sends a transaction as MULTI/EXEC (transaction: true)', async () => {
    const driver = new FakeDriver().reply('OK', 'v');
    const redis = new RedisService(driver);
    const [set, get] = await redis.transaction((tx) => [tx.set('k', 'v'), tx.get('k')]);
    expect(set).toEqual({ ok: true, value: true });
    expect(get).toEqual({ ok: true, value: 'v' });
    expect(driver.calls[0]).toMatchObject({ method: 'batch', options: { transaction: true } });
  });

  it('keeps call order when an async-schema setModel comes first', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await redis.transaction((tx) => [tx.setModel('m', slowSchema, { n: 1 }), tx.incr('n'), tx.get('g')]);
    expect(driver.sent).toEqual([
      ['SET', 'm', '{"n":1}'],
      ['INCR', 'n'],
      ['GET', 'g'],
    ]);
  });

  it('types each result after its command', async () => {
    const redis = new RedisService(new FakeDriver().reply(1, 'x', '{"n":2}'));
    const results = await redis.pipeline((p) => [p.incr('a'), p.get('b'), p.getModel('c', slowSchema)]);
    expectTypeOf(results[0]).toEqualTypeOf<
      { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: Error }
    >();
    expectTypeOf(results[0]).toExtend<{ ok: true; value: number } | { ok: false; error: Error }>();
    expectTypeOf(results[0]).not.toExtend<{ ok: true; value: string } | { ok: false; error: Error }>();
    expectTypeOf(results[1]).toEqualTypeOf<BatchSettled<string | null>>();
    expectTypeOf(results[2]).toEqualTypeOf<BatchSettled<{ n: number } | null>>();
    expectTypeOf(results).toHaveProperty('length').toEqualTypeOf<3>();
    const [first] = results;
    if (first.ok) expectTypeOf(first.value).toEqualTypeOf<number>();
    else expectTypeOf(first.error).toEqualTypeOf<Error>();
    expect(results[2]).toEqual({ ok: true, value: { n: 2 } });
  });

  it('gives each command its own error; the others still settle', async () => {
    const wrongType = new RedisReplyError(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    const driver = new FakeDriver().reply('OK').fail(wrongType).reply('v');
    const redis = new RedisService(driver);
    const [a, b, c] = await redis.transaction((tx) => [tx.set('k', 'v'), tx.incr('k'), tx.get('k')]);
    expect(a).toEqual({ ok: true, value: true });
    expect(b).toEqual({ ok: false, error: wrongType });
    expect(c).toEqual({ ok: true, value: 'v' });
  });

  it('reports a reply of the wrong shape as that command’s own RedisSerializationError', async () => {
    const redis = new RedisService(new FakeDriver().reply('not a number', 'v'));
    const [n, v] = await redis.pipeline((p) => [p.incr('a'), p.get('b')]);
    expect(n.ok).toBe(false);
    expect(!n.ok && n.error).toBeInstanceOf(RedisSerializationError);
    expect(v).toEqual({ ok: true, value: 'v' });
  });

  it('rejects the whole batch, sending nothing, when one command has bad input', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(
      redis.pipeline((p) => [p.set('a', '1'), p.set('b', '2', { ttl: -1 }), p.get('c')]),
    ).rejects.toBeInstanceOf(RedisValidationError);
    await expect(
      redis.transaction((tx) => [tx.get('a'), tx.setModel('m', slowSchema, { n: 'x' as unknown as number })]),
    ).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.pipeline((p) => [p.setJson('j', { n: 1n })])).rejects.toBeInstanceOf(
      RedisSerializationError,
    );
    expect(driver.calls).toEqual([]);
  });

  it('rejects with RedisSerializationError when the driver returns fewer results than commands', async () => {
    const driver = new FakeDriver().scriptBatch({ kind: 'items', items: [{ ok: true, value: 'OK' }] });
    const redis = new RedisService(driver);
    await expect(redis.pipeline((p) => [p.set('a', '1'), p.set('b', '2')])).rejects.toBeInstanceOf(
      RedisSerializationError,
    );
    expect(redis.stats.active).toBe(0);
  });

  it('rejects the whole batch when the driver rejects it', async () => {
    const lost = new Error('connection lost');
    const redis = new RedisService(new FakeDriver().scriptBatch({ kind: 'error', error: lost }));
    await expect(redis.pipeline((p) => [p.get('a'), p.get('b')])).rejects.toBe(lost);
  });

  it('refuses a transaction on a driver without transactions, sending nothing', async () => {
    const driver = new FakeDriver({ capabilities: { transactions: false } });
    const redis = new RedisService(driver);
    const error = await redis.transaction((tx) => [tx.get('a')]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisCapabilityError);
    expect((error as RedisCapabilityError).capability).toBe('transactions');
    expect(driver.calls).toEqual([]);
    // A pipeline is still fine on that driver.
    await expect(redis.pipeline((p) => [p.get('a')])).resolves.toHaveLength(1);
  });

  it('resolves an empty batch without sending anything', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(redis.pipeline(() => [])).resolves.toEqual([]);
    expect(driver.calls).toEqual([]);
  });

  it('refuses a callback that does not return an array', async () => {
    const redis = new RedisService(new FakeDriver());
    const build = (() => undefined) as unknown as Parameters<RedisService['pipeline']>[0];
    await expect(redis.pipeline(build)).rejects.toBeInstanceOf(RedisValidationError);
  });

  it('rejects a command queued after the callback returned', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    let late: Promise<unknown> | undefined;
    await redis.pipeline((p) => {
      queueMicrotask(() => {
        late = p.get('late');
      });
      return [p.get('a')];
    });
    await expect(late).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.sent).toEqual([['GET', 'a']]);
  });

  it('sends commands the callback made but did not return, without unhandled rejections', async () => {
    const driver = new FakeDriver().fail(new RedisReplyError('ERR not returned')).reply('v');
    const redis = new RedisService(driver);
    const results = await redis.pipeline((p) => {
      p.incr('ignored');
      return [p.get('wanted')];
    });
    expect(results).toEqual([{ ok: true, value: 'v' }]);
    expect(driver.sent).toEqual([
      ['INCR', 'ignored'],
      ['GET', 'wanted'],
    ]);
    // An unreturned command whose batch fails as a whole must not leak an unhandled rejection either.
    const failing = new FakeDriver().scriptBatch({ kind: 'error', error: new Error('down') });
    const other = new RedisService(failing);
    await expect(
      other.pipeline((p) => {
        p.set('x', '1');
        return [p.get('y')];
      }),
    ).rejects.toThrow('down');
    // Give Node a turn to report an unhandled rejection (vitest fails the run on one).
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('counts a batch as ONE limiter permit', async () => {
    const driver = new FakeDriver();
    const reply = deferred<import('@redis-service/core').BatchItemResult[]>();
    driver.scriptBatch({ kind: 'deferred', deferred: reply });
    const redis = new RedisService(driver, { maxInflight: 2 });
    const batch = redis.pipeline((p) => [p.get('a'), p.get('b'), p.get('c'), p.get('d')]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(redis.stats).toMatchObject({ active: 1, queued: 0, peak: 1 });
    // One permit is still free for a single command.
    driver.reply('single');
    await expect(redis.get('s')).resolves.toBe('single');
    reply.resolve([1, 2, 3, 4].map((n) => ({ ok: true, value: String(n) })));
    await expect(batch).resolves.toHaveLength(4);
    expect(redis.stats).toMatchObject({ active: 0, peak: 2 });
  });

  it('waits for a permit like a single command when the limiter is full', async () => {
    const driver = new FakeDriver();
    const first = driver.defer();
    const redis = new RedisService(driver, { maxInflight: 1 });
    const single = redis.get('a');
    const batch = redis.pipeline((p) => [p.get('b')]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(redis.stats).toMatchObject({ active: 1, queued: 1 });
    expect(driver.calls).toHaveLength(1);
    first.resolve('a');
    await expect(single).resolves.toBe('a');
    await expect(batch).resolves.toEqual([{ ok: true, value: 'OK' }]);
  });
});

describe('binary values and capabilities', () => {
  const textOnly = () => new FakeDriver({ name: 'text-only', capabilities: { binary: false } });

  it('refuses writing a Uint8Array on a driver without binary, sending nothing', async () => {
    const driver = textOnly();
    const redis = new RedisService(driver);
    const error = await redis.set('b', new Uint8Array([1])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisCapabilityError);
    expect((error as RedisCapabilityError).capability).toBe('binary');
    expect((error as RedisCapabilityError).driver).toBe('text-only');
    await expect(redis.command(['SET', 'b', new Uint8Array([1])])).rejects.toBeInstanceOf(
      RedisCapabilityError,
    );
    await expect(redis.lpush('l', 'a', new Uint8Array([2]))).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(driver.calls).toEqual([]);
  });

  it('refuses getBytes and binary command() on a driver without binary', async () => {
    const driver = textOnly();
    const redis = new RedisService(driver);
    await expect(redis.getBytes('b')).rejects.toBeInstanceOf(RedisCapabilityError);
    await expect(redis.command(['GET', 'b'], { binary: true })).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(driver.calls).toEqual([]);
  });

  it('refuses a batch with a binary command on a driver without binary, sending nothing', async () => {
    const driver = textOnly();
    const redis = new RedisService(driver);
    await expect(redis.pipeline((p) => [p.get('a'), p.getBytes('b')])).rejects.toBeInstanceOf(
      RedisCapabilityError,
    );
    await expect(
      redis.transaction((tx) => [tx.get('a'), tx.set('b', new Uint8Array([1]))]),
    ).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(driver.calls).toEqual([]);
  });

  it('asks a binary batch for bytes and gives text commands their replies as strings', async () => {
    const bytes = new Uint8Array([104, 105]);
    const driver = new FakeDriver().reply(bytes, bytes, [bytes]);
    const redis = new RedisService(driver);
    const [raw, text, list] = await redis.pipeline((p) => [
      p.getBytes('a'),
      p.get('b'),
      p.lrange('c', 0, -1),
    ]);
    expect(raw).toEqual({ ok: true, value: bytes });
    expect(text).toEqual({ ok: true, value: 'hi' });
    expect(list).toEqual({ ok: true, value: ['hi'] });
    expect(driver.calls[0]).toMatchObject({ options: { binary: true } });
  });

  it('refuses runScript on a driver without scripting', async () => {
    const driver = new FakeDriver({ capabilities: { scripting: false } });
    const redis = new RedisService(driver);
    const { defineScript } = await import('@redis-service/core');
    await expect(redis.runScript(defineScript('return 1'))).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(driver.calls).toEqual([]);
  });
});
