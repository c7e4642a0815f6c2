import {
  type RedisReply,
  RedisSerializationError,
  RedisService,
  RedisUnsafeIntegerError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

interface ShapeCase {
  readonly name: string;
  readonly run: (redis: RedisService) => Promise<unknown>;
  readonly reply: RedisReply;
}

const cases: readonly ShapeCase[] = [
  { name: 'a string where an integer is due', run: (r) => r.incr('n'), reply: '1' },
  { name: 'a bigint for incr', run: (r) => r.incr('n'), reply: 2n ** 60n },
  { name: 'a fractional number for an integer', run: (r) => r.llen('l'), reply: 1.5 },
  { name: 'null for an integer', run: (r) => r.hlen('h'), reply: null },
  { name: 'an array for get', run: (r) => r.get('k'), reply: ['a'] },
  { name: 'a number for get', run: (r) => r.get('k'), reply: 5 },
  { name: 'bytes for get', run: (r) => r.get('k'), reply: new Uint8Array([1]) },
  { name: 'a string for getBytes', run: (r) => r.getBytes('k'), reply: 'text' },
  { name: 'something other than OK for set', run: (r) => r.set('k', 'v'), reply: 'QUEUED' },
  { name: 'something other than OK for mset', run: (r) => r.mset({ k: 'v' }), reply: null },
  { name: 'a non-array for mget', run: (r) => r.mget(['a']), reply: 'a' },
  { name: 'a number inside mget', run: (r) => r.mget(['a']), reply: [1] },
  { name: 'an odd hgetall', run: (r) => r.hgetall('h'), reply: ['f'] },
  { name: 'a nested array in smembers', run: (r) => r.smembers('s'), reply: [['a']] },
  { name: 'a score that is not a number', run: (r) => r.zscore('z', 'a'), reply: 'abc' },
  // A number is a score (a RESP3 client may deliver an integral double so); a bigint or bytes are not.
  { name: 'a bigint for a score', run: (r) => r.zscore('z', 'a'), reply: 9007199254740993n },
  { name: 'an array for a score', run: (r) => r.zmscore('z', 'a'), reply: [['1']] },
  { name: 'null for zincrBy', run: (r) => r.zincrBy('z', 1, 'a'), reply: null },
  { name: 'odd WITHSCORES pairs', run: (r) => r.zrange('z', 0, -1, { withScores: true }), reply: ['a'] },
  { name: 'an integer for lpop with count', run: (r) => r.lpop('l', 2), reply: 3 },
  { name: 'a string for a boolean', run: (r) => r.hexists('h', 'f'), reply: 'yes' },
  { name: 'invalid JSON for getJson', run: (r) => r.getJson('j'), reply: '{not json' },
];

describe('unexpected reply shapes', () => {
  it.each(cases)('$name -> RedisSerializationError', async ({ run, reply }) => {
    const redis = new RedisService(new FakeDriver().reply(reply));
    await expect(run(redis)).rejects.toBeInstanceOf(RedisSerializationError);
  });

  it('names the key when stored JSON cannot be decoded', async () => {
    const redis = new RedisService(new FakeDriver().reply(['1', '{oops']), { keyPrefix: 'p:' });
    const error = await redis.mgetJson(['good', 'bad']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisSerializationError);
    expect((error as RedisSerializationError).key).toBe('bad');
  });

  it('reports a SCAN reply of the wrong shape', async () => {
    const redis = new RedisService(new FakeDriver().reply(['0']));
    const scan = async () => {
      for await (const _ of redis.scan()) {
        // nothing to do
      }
    };
    await expect(scan()).rejects.toBeInstanceOf(RedisSerializationError);
  });

  it.each([
    { name: 'incr', run: (r: RedisService) => r.incr('n') },
    { name: 'incr by 5', run: (r: RedisService) => r.incr('n', 5) },
    { name: 'decr', run: (r: RedisService) => r.decr('n') },
    { name: 'hincrBy', run: (r: RedisService) => r.hincrBy('h', 'f', 1) },
  ])('$name beyond 2^53 says the write was applied and carries the exact value', async ({ run }) => {
    const redis = new RedisService(new FakeDriver().reply(9007199254740993n));
    const error = await run(redis).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisUnsafeIntegerError);
    expect(error).toBeInstanceOf(RedisSerializationError);
    expect(error).toMatchObject({ applied: true, value: 9007199254740993n, code: 'ERR_REDIS_SERIALIZATION' });
    expect((error as Error).message).toMatch(/write was applied.*9007199254740993.*do not retry/);
  });

  it('a read beyond 2^53 carries the exact value and says nothing was applied', async () => {
    const redis = new RedisService(new FakeDriver().reply(2n ** 60n));
    await expect(redis.llen('l')).rejects.toMatchObject({ applied: false, value: 2n ** 60n });
  });

  it('returns integers beyond 2^53 from command() as bigint', async () => {
    const redis = new RedisService(new FakeDriver().reply(2n ** 63n - 1n));
    await expect(redis.command(['INCRBY', 'n', '1'])).resolves.toBe(9223372036854775807n);
  });
});
