import { RedisService, RedisValidationError, type Schema } from '@redis-service/core';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { FakeDriver } from '../support/fake-driver.js';

const zodUser = z.object({ name: z.string().min(1), age: z.number().int().min(0) });
const valibotUser = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  age: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

const libraries = [
  { library: 'zod', schema: zodUser as Schema<{ name: string; age: number }> },
  { library: 'valibot', schema: valibotUser as Schema<{ name: string; age: number }> },
];

describe.each(libraries)('models with $library', ({ schema }) => {
  it('stores a valid value as JSON', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(redis.setModel('u:1', schema, { name: 'Ada', age: 36 }, { ttl: 60 })).resolves.toBe(true);
    expect(driver.sent).toEqual([['SET', 'app:u:1', '{"name":"Ada","age":36}', 'EX', 60]]);
  });

  it('refuses an invalid value with the issues, and sends nothing', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const error = await redis
      .setModel('u:1', schema, { name: '', age: 1.5 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisValidationError);
    const { issues, key, message } = error as RedisValidationError;
    expect(key).toBe('u:1');
    expect(issues.length).toBeGreaterThanOrEqual(2);
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([['name'], ['age']]));
    expect(message).toContain('failed schema validation');
    expect(driver.calls).toEqual([]);
  });

  it('refuses an invalid value in msetModels before writing any', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(
      redis.msetModels(schema, { a: { name: 'A', age: 1 }, b: { name: 'B', age: -1 } }),
    ).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });

  it('reads a valid stored value', async () => {
    const redis = new RedisService(new FakeDriver().reply('{"name":"Ada","age":36}'));
    await expect(redis.getModel('u:1', schema)).resolves.toEqual({ name: 'Ada', age: 36 });
  });

  it('reads null for a missing key without validating', async () => {
    const redis = new RedisService(new FakeDriver().reply(null));
    await expect(redis.getModel('u:1', schema)).resolves.toBeNull();
  });

  it('gives RedisValidationError naming the key when a stored value fails the schema', async () => {
    const redis = new RedisService(new FakeDriver().reply('{"name":"Ada"}'), { keyPrefix: 'app:' });
    const error = await redis.getModel('u:1', schema).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisValidationError);
    expect((error as RedisValidationError).key).toBe('u:1');
    expect((error as RedisValidationError).issues[0]?.path).toEqual(['age']);
    expect((error as Error).message).toContain('stored value');
  });

  it('mgetModels validates each value and names the failing key', async () => {
    const good = '{"name":"A","age":1}';
    const redis = new RedisService(new FakeDriver().reply([good, null], [good, '{"age":2}']));
    await expect(redis.mgetModels(['a', 'b'], schema)).resolves.toEqual([{ name: 'A', age: 1 }, null]);
    const error = await redis.mgetModels(['a', 'b'], schema).catch((caught: unknown) => caught);
    expect((error as RedisValidationError).key).toBe('b');
  });
});

describe('async schemas', () => {
  const taken = new Set(['root']);
  const zodAsync = z.object({
    name: z.string().refine(async (name) => !taken.has(name), 'name is taken'),
  });
  const valibotAsync = v.objectAsync({
    name: v.pipeAsync(
      v.string(),
      v.checkAsync(async (name) => !taken.has(name), 'name is taken'),
    ),
  });

  it.each([
    ['zod', zodAsync as Schema<{ name: string }>],
    ['valibot', valibotAsync as Schema<{ name: string }>],
  ] as const)('%s: validates on write and on read', async (_library, schema) => {
    const driver = new FakeDriver().reply('OK', '{"name":"root"}');
    const redis = new RedisService(driver);
    await expect(redis.setModel('u', schema, { name: 'ada' })).resolves.toBe(true);
    const refused = await redis.setModel('u', schema, { name: 'root' }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(RedisValidationError);
    expect((refused as RedisValidationError).issues[0]?.message).toBe('name is taken');
    expect(driver.sent).toEqual([['SET', 'u', '{"name":"ada"}']]);
    await expect(redis.getModel('u', schema)).rejects.toBeInstanceOf(RedisValidationError);
  });
});

describe('schema handling', () => {
  it('stores the input that passed, not the parsed output', async () => {
    const schema = z.object({ at: z.string().transform((text) => text.length) });
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await redis.setModel('k', schema, { at: 'abc' });
    expect(driver.sent).toEqual([['SET', 'k', '{"at":"abc"}']]);
  });

  it('returns the parsed output on read, typed by the schema', async () => {
    const schema = z.object({ at: z.string().transform((text) => text.length) });
    const redis = new RedisService(new FakeDriver().reply('{"at":"abcd"}'));
    const value = await redis.getModel('k', schema);
    expectTypeOf(value).toEqualTypeOf<{ at: number } | null>();
    expect(value).toEqual({ at: 4 });
  });

  it('refuses something that is not a Standard Schema', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const notASchema = { parse: () => 1 } as unknown as Schema;
    await expect(redis.setModel('k', notASchema, 1)).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });

  it('accepts a Standard Schema that is a function (as arktype types are)', async () => {
    const validate = (value: unknown) =>
      typeof value === 'number' ? { value } : { issues: [{ message: 'expected a number' }] };
    const callable = Object.assign(() => undefined, {
      '~standard': { version: 1 as const, vendor: 'callable', validate },
    }) as unknown as Schema<number>;
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(redis.setModel('n', callable, 5)).resolves.toBe(true);
    await expect(redis.setModel('n', callable, loose('x'))).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.sent).toEqual([['SET', 'n', '5']]);
  });

  it('maps path segments given as objects to their keys', async () => {
    const schema: Schema<unknown> = {
      '~standard': {
        version: 1,
        vendor: 'hand-made',
        validate: () => ({ issues: [{ message: 'bad', path: [{ key: 'a' }, 0, { key: 'b' }] }] }),
      },
    };
    const redis = new RedisService(new FakeDriver());
    const error = await redis.setModel('k', schema, {}).catch((caught: unknown) => caught);
    expect((error as RedisValidationError).issues).toEqual([{ message: 'bad', path: ['a', 0, 'b'] }]);
    expect((error as Error).message).toContain('a.0.b: bad');
  });
});

function loose(value: unknown): number {
  return value as number;
}
