import { type RedisCommand, RedisService, RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

function serviceWithPrefix(prefix = 'app:') {
  const driver = new FakeDriver({ respond: () => 'OK' });
  return { driver, redis: new RedisService(driver, { keyPrefix: prefix }) };
}

describe("command(argv, { prefixKeys: true }) prefixes the keys at the table's key positions", () => {
  it.each<[RedisCommand, RedisCommand]>([
    [
      ['GET', 'k'],
      ['GET', 'app:k'],
    ],
    [
      ['SET', 'k', 'v', 'GET'],
      ['SET', 'app:k', 'v', 'GET'],
    ],
    [
      ['MSET', 'a', '1', 'b', '2'],
      ['MSET', 'app:a', '1', 'app:b', '2'],
    ],
    [
      ['DEL', 'a', 'b'],
      ['DEL', 'app:a', 'app:b'],
    ],
    [
      ['EVAL', 'return KEYS[1]', 2, 'a', 'b', 'arg'],
      ['EVAL', 'return KEYS[1]', 2, 'app:a', 'app:b', 'arg'],
    ],
    [
      ['EVAL', 'return 1', 0, 'arg'],
      ['EVAL', 'return 1', 0, 'arg'],
    ],
    [
      ['ZUNIONSTORE', 'd', 2, 'a', 'b', 'WEIGHTS', 1, 2],
      ['ZUNIONSTORE', 'app:d', 2, 'app:a', 'app:b', 'WEIGHTS', 1, 2],
    ],
    [
      ['XREAD', 'COUNT', 5, 'STREAMS', 's1', 's2', '0', '0'],
      ['XREAD', 'COUNT', 5, 'STREAMS', 'app:s1', 'app:s2', '0', '0'],
    ],
    [
      ['LMPOP', 2, 'a', 'b', 'LEFT'],
      ['LMPOP', 2, 'app:a', 'app:b', 'LEFT'],
    ],
    [
      ['OBJECT', 'ENCODING', 'k'],
      ['OBJECT', 'ENCODING', 'app:k'],
    ],
    [
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 'app:s'],
    ],
    [
      ['SORT', 'l', 'LIMIT', 0, 5, 'STORE', 'd'],
      ['SORT', 'app:l', 'LIMIT', 0, 5, 'STORE', 'app:d'],
    ],
    [
      ['SORT', 'l', 'BY', 'nosort', 'GET', '#'],
      ['SORT', 'app:l', 'BY', 'nosort', 'GET', '#'],
    ],
    [
      ['MIGRATE', 'h', 1, '', 0, 5, 'KEYS', 'a', 'b'],
      ['MIGRATE', 'h', 1, '', 0, 5, 'KEYS', 'app:a', 'app:b'],
    ],
    [
      ['GET', 7],
      ['GET', 'app:7'],
    ],
    [
      ['PUBLISH', 'channel', 'm'],
      ['PUBLISH', 'channel', 'm'],
    ],
    [
      ['SPUBLISH', 'channel', 'm'],
      ['SPUBLISH', 'channel', 'm'],
    ],
    [['PING'], ['PING']],
  ])('%j -> %j', async (argv, sent) => {
    const { driver, redis } = serviceWithPrefix();
    await redis.command(argv, { prefixKeys: true });
    expect(driver.sent).toEqual([sent]);
  });

  it('prefixes a binary key as bytes', async () => {
    const { driver, redis } = serviceWithPrefix('p:');
    await redis.command(['GET', Uint8Array.of(0, 255)], { prefixKeys: true });
    expect(driver.sent).toEqual([['GET', Uint8Array.of(0x70, 0x3a, 0, 255)]]);
  });

  it('leaves the command alone by default, and when the prefix is empty', async () => {
    const { driver, redis } = serviceWithPrefix();
    await redis.command(['GET', 'k']);
    const unprefixed = serviceWithPrefix('');
    await unprefixed.redis.command(['GET', 'k'], { prefixKeys: true });
    expect(driver.sent).toEqual([['GET', 'k']]);
    expect(unprefixed.driver.sent).toEqual([['GET', 'k']]);
  });

  it.each<[string, RedisCommand]>([
    ['a command the table does not know', ['FT.SEARCH', 'idx', '*']],
    ['a key count that is not a count', ['EVAL', 'return 1', 'two', 'a']],
    ['more keys counted than given', ['ZUNION', 3, 'a', 'b']],
    ['a stream without its id', ['XREAD', 'STREAMS', 'a']],
    ['a SORT BY pattern', ['SORT', 'l', 'BY', 'weight_*']],
    ['a SORT GET pattern', ['SORT_RO', 'l', 'GET', 'obj_*->name']],
  ])('refuses %s before sending anything', async (_what, argv) => {
    const { driver, redis } = serviceWithPrefix();
    await expect(redis.command(argv, { prefixKeys: true })).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });
});
