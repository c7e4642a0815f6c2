import { type RedisReply, RedisService, RedisValidationError } from '@redis-service/core';
import { expect, it } from 'vitest';
import { FakeDriver } from './fake-driver.js';

/** Casts a value the type system would refuse, to check the runtime guard a JS caller meets. */
// biome-ignore lint/suspicious/noExplicitAny: the point is to bypass the types, as plain JS callers do.
export const loose = (value: unknown): any => value;

/** One typed call: the argument vector it must send and the result it must decode from `reply`. */
export interface ArgvCase {
  readonly name: string;
  readonly run: (redis: RedisService) => Promise<unknown>;
  readonly argv: readonly unknown[];
  readonly reply: RedisReply;
  readonly result: unknown;
}

/** One call with bad input. */
export interface BadCase {
  readonly name: string;
  readonly run: (redis: RedisService) => Promise<unknown>;
}

/** Each case sends exactly its argv (keys under `app:`) and decodes the scripted reply to its result. */
export function itSendsAndDecodes(cases: readonly ArgvCase[]): void {
  it.each(cases)('$name', async ({ run, argv, reply, result }) => {
    const driver = new FakeDriver().reply(reply);
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(run(redis)).resolves.toEqual(result);
    expect(driver.sent).toEqual([argv]);
  });
}

/** Each case rejects with `RedisValidationError` and nothing reaches the driver. */
export function itRefusesBeforeSending(cases: readonly BadCase[]): void {
  it.each(cases)('$name -> RedisValidationError', async ({ run }) => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(run(redis)).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });
}
