import { closedPort, type RedisServerHandle, startRedisServer } from '@redis-service/conformance/harness';
import {
  RedisClosedError,
  type RedisCommand,
  RedisConnectionError,
  RedisReplyError,
  RedisService,
} from '@redis-service/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver, createNodeRedisDriverFromUrl, type NodeRedisDriver } from '../src/index.js';
import { expectError, plain, timed, uniqueKey } from './support.js';

let server: RedisServerHandle;
/** The driver's own client: RESP2, the reference every protocol must match. */
let resp2: NodeRedisDriver;
/** A client as a user builds it with node-redis 6 defaults: RESP3, not connected. */
let resp3: NodeRedisDriver;

beforeAll(async () => {
  server = await startRedisServer();
  resp2 = createNodeRedisDriverFromUrl({ url: server.url });
  resp3 = createNodeRedisDriver(createClient({ url: server.url }));
});

afterAll(async () => {
  await Promise.all([resp2?.close(), resp3?.close()]);
  await server?.stop();
});

describe('a user-built RESP3 client gives the same replies as RESP2', () => {
  const zset = uniqueKey('zset');
  const hash = uniqueKey('hash');
  const set = uniqueKey('set');
  const stream = uniqueKey('stream');
  const big = uniqueKey('big');

  beforeAll(async () => {
    await resp2.send(['ZADD', zset, 1.5, 'a', 3, 'b', 2.25, 'c']);
    await resp2.send(['HSET', hash, 'field', 'value', '123', '456']);
    await resp2.send(['SADD', set, 'x', 'y', 'z']);
    await resp2.send(['XADD', stream, '1-1', 'k', 'v']);
    await resp2.send(['SET', big, '9007199254740993']);
  });

  const commands: Record<string, () => RedisCommand> = {
    'a map (HGETALL) as a flat array': () => ['HGETALL', hash],
    'a set (SMEMBERS) as an array': () => ['SMEMBERS', set],
    'doubles (ZSCORE) as text, integral ones too': () => ['ZSCORE', zset, 'b'],
    'doubles with a fraction (ZINCRBY)': () => ['ZINCRBY', zset, 0, 'a'],
    'several doubles (ZMSCORE) with nil': () => ['ZMSCORE', zset, 'a', 'nobody', 'c'],
    'ZRANGE WITHSCORES pairs flattened': () => ['ZRANGE', zset, 0, -1, 'WITHSCORES'],
    'ZRANGEBYSCORE WITHSCORES pairs flattened': () => ['ZRANGEBYSCORE', zset, '-inf', '+inf', 'WITHSCORES'],
    'XREAD as [[stream, entries]]': () => ['XREAD', 'STREAMS', stream, '0'],
    'a big integer as an exact bigint': () => ['INCRBY', big, 0],
    'a Lua true as 1': () => ['EVAL', 'return true', 0],
    'a RESP3 boolean as 1 / 0': () => [
      'EVAL',
      "redis.setresp(3); return {true, false, redis.call('HGETALL', KEYS[1])}",
      1,
      hash,
    ],
    'a RESP3 double from Lua as text': () => ['EVAL', 'redis.setresp(3); return {double=3.25}', 0],
    'CONFIG GET (a map) as a flat array': () => ['CONFIG', 'GET', 'maxmemory-policy'],
  };

  for (const [what, command] of Object.entries(commands)) {
    it(what, async () => {
      const expected = await resp2.send(command());
      const actual = await resp3.send(command());
      if (what.startsWith('a set')) {
        expect([...(actual as string[])].sort()).toEqual([...(expected as string[])].sort());
      } else {
        expect(actual).toEqual(expected);
      }
    });
  }

  it('ZPOPMIN with a count flattened', async () => {
    const [left, right] = [uniqueKey('pop'), uniqueKey('pop')];
    for (const key of [left, right]) await resp2.send(['ZADD', key, 1, 'a', 2, 'b', 3, 'c']);
    expect(await resp3.send(['ZPOPMIN', right, 2])).toEqual(await resp2.send(['ZPOPMIN', left, 2]));
    expect(await resp3.send(['ZPOPMIN', right])).toEqual(['c', '3']);
  });

  it('spot checks of the shapes both give', async () => {
    expect(await resp3.send(['HGETALL', hash])).toEqual(['field', 'value', '123', '456']);
    expect(await resp3.send(['ZSCORE', zset, 'b'])).toBe('3');
    expect(await resp3.send(['ZRANGE', zset, 0, -1, 'WITHSCORES'])).toEqual([
      'a',
      '1.5',
      'c',
      '2.25',
      'b',
      '3',
    ]);
    expect(await resp3.send(['XREAD', 'STREAMS', stream, '0'])).toEqual([[stream, [['1-1', ['k', 'v']]]]]);
    expect(await resp3.send(['INCRBY', big, 0])).toBe(9007199254740993n);
  });

  it('the typed commands whose replies RESP3 reshapes (doubles, nested pairs) decode the same', async () => {
    const geo = uniqueKey('geo');
    await resp2.send(['GEOADD', geo, 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania']);
    const typed = async (driver: NodeRedisDriver) => {
      const redis = new RedisService(driver);
      const hscan = [];
      for await (const item of redis.hscan(hash)) hscan.push(item);
      const zscan = [];
      for await (const item of redis.zscan(zset)) zscan.push(item);
      return [
        await redis.zmscore(zset, 'a', 'nobody', 'c'),
        await redis.zunion([zset, zset], { withScores: true }),
        (await redis.hrandfield(hash, 10, { withValues: true })).sort((x, y) =>
          x.field.localeCompare(y.field),
        ),
        await redis.geosearch(geo, {
          from: { longitude: 15, latitude: 37 },
          by: { radius: 200, unit: 'km' },
          order: 'asc',
          withCoord: true,
          withDist: true,
          withHash: true,
        }),
        await redis.geodist(geo, 'Palermo', 'Catania', 'km'),
        hscan.sort((x, y) => x.field.localeCompare(y.field)),
        zscan.sort((x, y) => x.member.localeCompare(y.member)),
      ];
    };
    const expected = await typed(resp2);
    expect(expected[0]).toEqual([1.5, null, 2.25]);
    expect(await typed(resp3)).toEqual(expected);
  });

  it('inside a transaction and in binary mode as well', async () => {
    const batch = (driver: NodeRedisDriver, binary: boolean) =>
      driver.batch(
        [
          ['HGETALL', hash],
          ['ZRANGE', zset, 0, -1, 'WITHSCORES'],
          ['HSET', zset, 'f', 'v'],
        ],
        { transaction: true, binary },
      );
    for (const binary of [false, true]) {
      const expected = await batch(resp2, binary);
      const actual = await batch(resp3, binary);
      const shown = (items: typeof actual) =>
        items.map((item) => (item.ok ? plain(item.value) : `${item.error.name}: ${item.error.message}`));
      expect(shown(actual)).toEqual(shown(expected));
      expect(actual[2]?.ok === false && actual[2].error).toBeInstanceOf(RedisReplyError);
    }
  });

  it('a RESP3 big number comes out as an integer (RESP2 sends its digits as a bulk string)', async () => {
    const script = "redis.setresp(3); return {big_number='123456789012345678901234567890'}";
    expect(await resp3.send(['EVAL', script, 0])).toBe(123456789012345678901234567890n);
    expect(await resp2.send(['EVAL', script, 0])).toBe('123456789012345678901234567890');
  });
});

describe('the connection of a user-built client', () => {
  it('uses a client the user connected already', async () => {
    const client = createClient({ url: server.url, RESP: 2 });
    client.on('error', () => {});
    await client.connect();
    const driver = createNodeRedisDriver(client);
    expect(await driver.send(['PING'])).toBe('PONG');
    await driver.close();
    expect(client.isOpen).toBe(false);
  });

  it('fails fast on a closed port although node-redis keeps retrying, and close() stops it', async () => {
    const port = await closedPort();
    // node-redis defaults: reconnect forever, offline queue on, no error listener.
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    const driver = createNodeRedisDriver(client);
    const times: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const { ms, error } = await timed(driver.send(['PING']));
      expectError(error, RedisConnectionError);
      times.push(ms);
    }
    console.log(
      `user-built default client, closed port: rejected after ${times.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`,
    );
    for (const ms of times) expect(ms).toBeLessThan(1000);
    expect(client.isOpen).toBe(true); // still retrying in the background
    await driver.close();
    expect(client.isOpen).toBe(false);
    expectError(await driver.send(['PING']).catch((e: unknown) => e), RedisClosedError);
  });
});
