import { RedisService } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';
import { type ArgvCase, itSendsAndDecodes } from '../support/table-cases.js';

const cases: readonly ArgvCase[] = [
  // keys
  { name: 'delete', run: (r) => r.delete('a', 'b'), argv: ['DEL', 'app:a', 'app:b'], reply: 1, result: 1 },
  { name: 'exists', run: (r) => r.exists('a', 'a'), argv: ['EXISTS', 'app:a', 'app:a'], reply: 2, result: 2 },
  { name: 'expire', run: (r) => r.expire('a', 10), argv: ['EXPIRE', 'app:a', 10], reply: 1, result: true },
  {
    name: 'expire NX',
    run: (r) => r.expire('a', 10, { nx: true }),
    argv: ['EXPIRE', 'app:a', 10, 'NX'],
    reply: 0,
    result: false,
  },
  {
    name: 'pexpire GT',
    run: (r) => r.pexpire('a', 1500, { gt: true }),
    argv: ['PEXPIRE', 'app:a', 1500, 'GT'],
    reply: 1,
    result: true,
  },
  { name: 'ttl', run: (r) => r.ttl('a'), argv: ['TTL', 'app:a'], reply: -2, result: -2 },
  { name: 'pttl', run: (r) => r.pttl('a'), argv: ['PTTL', 'app:a'], reply: 1234, result: 1234 },
  { name: 'persist', run: (r) => r.persist('a'), argv: ['PERSIST', 'app:a'], reply: 0, result: false },
  // strings
  { name: 'get', run: (r) => r.get('a'), argv: ['GET', 'app:a'], reply: 'v', result: 'v' },
  { name: 'get missing', run: (r) => r.get('a'), argv: ['GET', 'app:a'], reply: null, result: null },
  { name: 'set', run: (r) => r.set('a', 'v'), argv: ['SET', 'app:a', 'v'], reply: 'OK', result: true },
  { name: 'set number', run: (r) => r.set('a', 1.5), argv: ['SET', 'app:a', 1.5], reply: 'OK', result: true },
  {
    name: 'set ttl',
    run: (r) => r.set('a', 'v', { ttl: 60 }),
    argv: ['SET', 'app:a', 'v', 'EX', 60],
    reply: 'OK',
    result: true,
  },
  {
    name: 'set ttlMs',
    run: (r) => r.set('a', 'v', { ttlMs: 250 }),
    argv: ['SET', 'app:a', 'v', 'PX', 250],
    reply: 'OK',
    result: true,
  },
  {
    name: 'set NX refused',
    run: (r) => r.set('a', 'v', { nx: true, ttl: 5 }),
    argv: ['SET', 'app:a', 'v', 'EX', 5, 'NX'],
    reply: null,
    result: false,
  },
  {
    name: 'set XX KEEPTTL',
    run: (r) => r.set('a', 'v', { xx: true, keepTtl: true }),
    argv: ['SET', 'app:a', 'v', 'KEEPTTL', 'XX'],
    reply: 'OK',
    result: true,
  },
  {
    name: 'set false flags are ignored',
    run: (r) => r.set('a', 'v', { nx: false, xx: false, keepTtl: false }),
    argv: ['SET', 'app:a', 'v'],
    reply: 'OK',
    result: true,
  },
  { name: 'incr', run: (r) => r.incr('n'), argv: ['INCR', 'app:n'], reply: 1, result: 1 },
  { name: 'incr by', run: (r) => r.incr('n', 5), argv: ['INCRBY', 'app:n', 5], reply: 6, result: 6 },
  { name: 'incr by -2', run: (r) => r.incr('n', -2), argv: ['INCRBY', 'app:n', -2], reply: 4, result: 4 },
  { name: 'decr', run: (r) => r.decr('n'), argv: ['DECR', 'app:n'], reply: 3, result: 3 },
  { name: 'decr by', run: (r) => r.decr('n', 3), argv: ['DECRBY', 'app:n', 3], reply: 0, result: 0 },
  {
    name: 'mget',
    run: (r) => r.mget(['a', 'b']),
    argv: ['MGET', 'app:a', 'app:b'],
    reply: ['1', null],
    result: ['1', null],
  },
  {
    name: 'mset record',
    run: (r) => r.mset({ a: '1', b: 2 }),
    argv: ['MSET', 'app:a', '1', 'app:b', 2],
    reply: 'OK',
    result: true,
  },
  {
    name: 'mset pairs',
    run: (r) =>
      r.mset([
        ['a', '1'],
        ['b', '2'],
      ]),
    argv: ['MSET', 'app:a', '1', 'app:b', '2'],
    reply: 'OK',
    result: true,
  },
  // hashes
  { name: 'hget', run: (r) => r.hget('h', 'f'), argv: ['HGET', 'app:h', 'f'], reply: 'v', result: 'v' },
  {
    name: 'hset field',
    run: (r) => r.hset('h', 'f', 'v'),
    argv: ['HSET', 'app:h', 'f', 'v'],
    reply: 1,
    result: 1,
  },
  {
    name: 'hset record',
    run: (r) => r.hset('h', { f: 'v', g: 2 }),
    argv: ['HSET', 'app:h', 'f', 'v', 'g', 2],
    reply: 2,
    result: 2,
  },
  {
    name: 'hmget',
    run: (r) => r.hmget('h', ['f', 'g']),
    argv: ['HMGET', 'app:h', 'f', 'g'],
    reply: [null, 'x'],
    result: [null, 'x'],
  },
  {
    name: 'hgetall',
    run: (r) => r.hgetall('h'),
    argv: ['HGETALL', 'app:h'],
    reply: ['f', 'v', 'g', '2'],
    result: { f: 'v', g: '2' },
  },
  { name: 'hgetall missing', run: (r) => r.hgetall('h'), argv: ['HGETALL', 'app:h'], reply: [], result: {} },
  { name: 'hdel', run: (r) => r.hdel('h', 'f', 'g'), argv: ['HDEL', 'app:h', 'f', 'g'], reply: 1, result: 1 },
  {
    name: 'hexists',
    run: (r) => r.hexists('h', 'f'),
    argv: ['HEXISTS', 'app:h', 'f'],
    reply: 1,
    result: true,
  },
  {
    name: 'hincrBy',
    run: (r) => r.hincrBy('h', 'f', -3),
    argv: ['HINCRBY', 'app:h', 'f', -3],
    reply: -3,
    result: -3,
  },
  { name: 'hlen', run: (r) => r.hlen('h'), argv: ['HLEN', 'app:h'], reply: 2, result: 2 },
  { name: 'hkeys', run: (r) => r.hkeys('h'), argv: ['HKEYS', 'app:h'], reply: ['f'], result: ['f'] },
  // lists
  { name: 'lpush', run: (r) => r.lpush('l', 'a', 1), argv: ['LPUSH', 'app:l', 'a', 1], reply: 2, result: 2 },
  { name: 'rpush', run: (r) => r.rpush('l', 'z'), argv: ['RPUSH', 'app:l', 'z'], reply: 3, result: 3 },
  { name: 'lpop', run: (r) => r.lpop('l'), argv: ['LPOP', 'app:l'], reply: 'a', result: 'a' },
  { name: 'lpop empty', run: (r) => r.lpop('l'), argv: ['LPOP', 'app:l'], reply: null, result: null },
  {
    name: 'lpop count',
    run: (r) => r.lpop('l', 2),
    argv: ['LPOP', 'app:l', 2],
    reply: ['a', 'b'],
    result: ['a', 'b'],
  },
  {
    name: 'lpop count empty',
    run: (r) => r.lpop('l', 2),
    argv: ['LPOP', 'app:l', 2],
    reply: null,
    result: null,
  },
  { name: 'rpop', run: (r) => r.rpop('l'), argv: ['RPOP', 'app:l'], reply: 'z', result: 'z' },
  { name: 'rpop count', run: (r) => r.rpop('l', 1), argv: ['RPOP', 'app:l', 1], reply: ['z'], result: ['z'] },
  {
    name: 'lrange',
    run: (r) => r.lrange('l', 0, -1),
    argv: ['LRANGE', 'app:l', 0, -1],
    reply: ['a', 'b'],
    result: ['a', 'b'],
  },
  { name: 'llen', run: (r) => r.llen('l'), argv: ['LLEN', 'app:l'], reply: 2, result: 2 },
  {
    name: 'ltrim',
    run: (r) => r.ltrim('l', 0, 9),
    argv: ['LTRIM', 'app:l', 0, 9],
    reply: 'OK',
    result: true,
  },
  // sets
  { name: 'sadd', run: (r) => r.sadd('s', 'a', 'b'), argv: ['SADD', 'app:s', 'a', 'b'], reply: 2, result: 2 },
  { name: 'srem', run: (r) => r.srem('s', 'a'), argv: ['SREM', 'app:s', 'a'], reply: 1, result: 1 },
  { name: 'smembers', run: (r) => r.smembers('s'), argv: ['SMEMBERS', 'app:s'], reply: ['b'], result: ['b'] },
  {
    name: 'sismember',
    run: (r) => r.sismember('s', 'b'),
    argv: ['SISMEMBER', 'app:s', 'b'],
    reply: 0,
    result: false,
  },
  { name: 'scard', run: (r) => r.scard('s'), argv: ['SCARD', 'app:s'], reply: 1, result: 1 },
  // sorted sets
  {
    name: 'zadd record',
    run: (r) => r.zadd('z', { a: 1, b: -2.5 }),
    argv: ['ZADD', 'app:z', 1, 'a', -2.5, 'b'],
    reply: 2,
    result: 2,
  },
  {
    name: 'zadd pairs with flags',
    run: (r) => r.zadd('z', [{ member: 'a', score: 3 }], { xx: true, gt: true, ch: true }),
    argv: ['ZADD', 'app:z', 'XX', 'GT', 'CH', 3, 'a'],
    reply: 1,
    result: 1,
  },
  {
    name: 'zadd NX',
    run: (r) => r.zadd('z', { a: 0 }, { nx: true }),
    argv: ['ZADD', 'app:z', 'NX', 0, 'a'],
    reply: 0,
    result: 0,
  },
  {
    name: 'zadd LT',
    run: (r) => r.zadd('z', { a: 0 }, { lt: true }),
    argv: ['ZADD', 'app:z', 'LT', 0, 'a'],
    reply: 0,
    result: 0,
  },
  { name: 'zrem', run: (r) => r.zrem('z', 'a', 'b'), argv: ['ZREM', 'app:z', 'a', 'b'], reply: 2, result: 2 },
  {
    name: 'zscore',
    run: (r) => r.zscore('z', 'a'),
    argv: ['ZSCORE', 'app:z', 'a'],
    reply: '1.5',
    result: 1.5,
  },
  {
    name: 'zscore inf',
    run: (r) => r.zscore('z', 'a'),
    argv: ['ZSCORE', 'app:z', 'a'],
    reply: 'inf',
    result: Infinity,
  },
  {
    name: 'zscore -inf',
    run: (r) => r.zscore('z', 'a'),
    argv: ['ZSCORE', 'app:z', 'a'],
    reply: '-inf',
    result: -Infinity,
  },
  {
    name: 'zscore missing',
    run: (r) => r.zscore('z', 'a'),
    argv: ['ZSCORE', 'app:z', 'a'],
    reply: null,
    result: null,
  },
  {
    name: 'zincrBy',
    run: (r) => r.zincrBy('z', 0.5, 'a'),
    argv: ['ZINCRBY', 'app:z', 0.5, 'a'],
    reply: '2',
    result: 2,
  },
  { name: 'zrank', run: (r) => r.zrank('z', 'a'), argv: ['ZRANK', 'app:z', 'a'], reply: 0, result: 0 },
  {
    name: 'zrank missing',
    run: (r) => r.zrank('z', 'x'),
    argv: ['ZRANK', 'app:z', 'x'],
    reply: null,
    result: null,
  },
  { name: 'zcard', run: (r) => r.zcard('z'), argv: ['ZCARD', 'app:z'], reply: 3, result: 3 },
  {
    name: 'zrange',
    run: (r) => r.zrange('z', 0, -1),
    argv: ['ZRANGE', 'app:z', 0, -1],
    reply: ['a', 'b'],
    result: ['a', 'b'],
  },
  {
    name: 'zrange rev withScores',
    run: (r) => r.zrange('z', 0, 1, { rev: true, withScores: true }),
    argv: ['ZRANGE', 'app:z', 0, 1, 'REV', 'WITHSCORES'],
    reply: ['b', 'inf', 'a', '-0.5'],
    result: [
      { member: 'b', score: Infinity },
      { member: 'a', score: -0.5 },
    ],
  },
  {
    name: 'zrangeByScore inclusive',
    run: (r) => r.zrangeByScore('z', 1, 5),
    argv: ['ZRANGE', 'app:z', '1', '5', 'BYSCORE'],
    reply: ['a'],
    result: ['a'],
  },
  {
    name: 'zrangeByScore exclusive and infinite',
    run: (r) => r.zrangeByScore('z', { value: 1, exclusive: true }, Infinity),
    argv: ['ZRANGE', 'app:z', '(1', '+inf', 'BYSCORE'],
    reply: [],
    result: [],
  },
  {
    name: 'zrangeByScore -inf and exclusive max',
    run: (r) => r.zrangeByScore('z', -Infinity, { value: 2.5, exclusive: true }),
    argv: ['ZRANGE', 'app:z', '-inf', '(2.5', 'BYSCORE'],
    reply: [],
    result: [],
  },
  {
    name: 'zrangeByScore non-exclusive object bound',
    run: (r) => r.zrangeByScore('z', { value: 1, exclusive: false }, 2),
    argv: ['ZRANGE', 'app:z', '1', '2', 'BYSCORE'],
    reply: [],
    result: [],
  },
  {
    name: 'zrangeByScore rev swaps bounds, LIMIT, WITHSCORES',
    run: (r) =>
      r.zrangeByScore('z', { value: 0, exclusive: true }, 10, {
        rev: true,
        limit: { offset: 0, count: 2 },
        withScores: true,
      }),
    argv: ['ZRANGE', 'app:z', '10', '(0', 'BYSCORE', 'REV', 'LIMIT', 0, 2, 'WITHSCORES'],
    reply: ['c', '10', 'b', '3'],
    result: [
      { member: 'c', score: 10 },
      { member: 'b', score: 3 },
    ],
  },
  // JSON
  {
    name: 'getJson',
    run: (r) => r.getJson('j'),
    argv: ['GET', 'app:j'],
    reply: '{"a":[1,true,null]}',
    result: { a: [1, true, null] },
  },
  { name: 'getJson missing', run: (r) => r.getJson('j'), argv: ['GET', 'app:j'], reply: null, result: null },
  {
    name: 'setJson',
    run: (r) => r.setJson('j', { a: 1 }, { ttlMs: 10, nx: true }),
    argv: ['SET', 'app:j', '{"a":1}', 'PX', 10, 'NX'],
    reply: 'OK',
    result: true,
  },
  {
    name: 'setJson null',
    run: (r) => r.setJson('j', null),
    argv: ['SET', 'app:j', 'null'],
    reply: 'OK',
    result: true,
  },
  {
    name: 'mgetJson',
    run: (r) => r.mgetJson(['a', 'b']),
    argv: ['MGET', 'app:a', 'app:b'],
    reply: ['"x"', null],
    result: ['x', null],
  },
  {
    name: 'msetJson',
    run: (r) => r.msetJson({ a: 1, b: 'x' }),
    argv: ['MSET', 'app:a', '1', 'app:b', '"x"'],
    reply: 'OK',
    result: undefined,
  },
  // raw
  {
    name: 'command (no prefix)',
    run: (r) => r.command(['OBJECT', 'ENCODING', 'raw-key']),
    argv: ['OBJECT', 'ENCODING', 'raw-key'],
    reply: 'embstr',
    result: 'embstr',
  },
];

describe('RedisService argv and reply decoding', () => {
  itSendsAndDecodes(cases);

  it('sends keys unprefixed when there is no prefix', async () => {
    const driver = new FakeDriver().reply(null);
    const redis = new RedisService(driver);
    await redis.get('plain');
    expect(driver.sent).toEqual([['GET', 'plain']]);
    expect(redis.keyPrefix).toBe('');
  });

  it('reads bytes with getBytes on a binary driver', async () => {
    const bytes = new Uint8Array([0, 255, 1]);
    const driver = new FakeDriver().reply(bytes);
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(redis.getBytes('b')).resolves.toBe(bytes);
    const [call] = driver.calls;
    expect(call).toMatchObject({ method: 'send', command: ['GET', 'app:b'], options: { binary: true } });
  });

  it('writes a Uint8Array value as-is on a binary driver', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await redis.set('b', bytes);
    expect(driver.sent[0]?.[2]).toBe(bytes);
  });

  it('msetJson with a TTL sends one MULTI batch of SET ... PX', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await redis.msetJson([['a', { n: 1 }]], { ttlMs: 500 });
    await redis.msetJson({ b: [1] }, { ttl: 2 });
    expect(driver.calls).toEqual([
      {
        method: 'batch',
        commands: [['SET', 'app:a', '{"n":1}', 'PX', 500]],
        options: { transaction: true, binary: false },
      },
      {
        method: 'batch',
        commands: [['SET', 'app:b', '[1]', 'EX', 2]],
        options: { transaction: true, binary: false },
      },
    ]);
  });

  it('msetJson with a TTL uses a plain pipeline when the driver has no transactions', async () => {
    const driver = new FakeDriver({ capabilities: { transactions: false } });
    const redis = new RedisService(driver);
    await redis.msetJson({ a: 1, b: 2 }, { ttl: 1 });
    expect(driver.calls).toEqual([
      {
        method: 'batch',
        commands: [
          ['SET', 'a', '1', 'EX', 1],
          ['SET', 'b', '2', 'EX', 1],
        ],
        options: { transaction: false, binary: false },
      },
    ]);
  });

  it('scan loops with the cursor, escapes the prefix and strips it from keys', async () => {
    const driver = new FakeDriver().reply(['17', ['a*:x', 'a*:y']], ['0', ['a*:z']]);
    const redis = new RedisService(driver, { keyPrefix: 'a*:' });
    const keys: string[] = [];
    for await (const key of redis.scan({ match: 'user:*', count: 10, type: 'hash' })) keys.push(key);
    expect(keys).toEqual(['x', 'y', 'z']);
    expect(driver.sent).toEqual([
      ['SCAN', '0', 'MATCH', 'a\\*:user:*', 'COUNT', 10, 'TYPE', 'hash'],
      ['SCAN', '17', 'MATCH', 'a\\*:user:*', 'COUNT', 10, 'TYPE', 'hash'],
    ]);
  });

  it('scan defaults to every key, COUNT 100', async () => {
    const driver = new FakeDriver().reply(['0', []]);
    const redis = new RedisService(driver);
    for await (const _ of redis.scan()) expect.unreachable();
    expect(driver.sent).toEqual([['SCAN', '0', 'MATCH', '*', 'COUNT', 100]]);
  });

  it('exposes the driver name, capabilities and endpoint stats', () => {
    const driver = new FakeDriver({ name: 'scripted', capabilities: { binary: false } });
    const redis = new RedisService(driver, { maxInflight: 7 });
    expect(redis.driverName).toBe('scripted');
    expect(redis.capabilities.binary).toBe(false);
    expect(redis.stats).toEqual({ active: 0, queued: 0, peak: 0, maxInflight: 7 });
    expect(redis.closed).toBe(false);
  });
});
