import { type RedisClusterHandle, startRedisCluster } from '@redis-service/conformance/harness';
import { RedisService } from '@redis-service/core';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisClusterDriver } from '../src/index.js';
import { uniqueKey } from './support.js';

let cluster: RedisClusterHandle;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

// The README hands a cluster the user built to createNodeRedisClusterDriver as it is: no cast. This
// file type-checks only if a `createCluster()` cluster fits `NodeRedisCluster` (`pnpm typecheck`).
describe('a node-redis cluster the user built with createCluster', () => {
  it('goes to createNodeRedisClusterDriver as it is, and its messages arrive as text', async () => {
    const rootNodes = cluster.urls.map((url) => ({ url }));
    await using redis = new RedisService(createNodeRedisClusterDriver(createCluster({ rootNodes })));
    const key = uniqueKey('user-cluster');
    await redis.set(key, 'v');
    expect(await redis.get(key)).toBe('v');
    const channel = uniqueKey('user-cluster-news');
    await using news = await redis.subscribe(channel);
    await redis.publish(channel, 'hello');
    for await (const message of news) {
      expect(message).toEqual({ channel, message: 'hello' });
      break;
    }
  });

  it('takes a RESP3 cluster too', async () => {
    const rootNodes = cluster.urls.map((url) => ({ url }));
    await using redis = new RedisService(createNodeRedisClusterDriver(createCluster({ rootNodes, RESP: 3 })));
    const key = uniqueKey('user-cluster-hash');
    await redis.hset(key, { a: '1' });
    expect(await redis.hgetall(key)).toEqual({ a: '1' });
    const prefix = uniqueKey('user-cluster-events');
    await using events = await redis.psubscribe(`${prefix}:*`);
    await redis.publish(`${prefix}:1`, 'hello');
    for await (const message of events) {
      expect(message).toEqual({ channel: `${prefix}:1`, pattern: `${prefix}:*`, message: 'hello' });
      break;
    }
  });
});
