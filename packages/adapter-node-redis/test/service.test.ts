import { closedPort, type RedisServerHandle, startRedisServer } from '@redis-service/conformance/harness';
import {
  EndpointRegistry,
  RedisClients,
  RedisConnectionError,
  RedisService,
  RedisTimeoutError,
  RedisValidationError,
  type ServiceFactory,
} from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisClusterService, createNodeRedisService } from '../src/index.js';
import { expectError, startSilentServer, timed, uniqueKey } from './support.js';

let server: RedisServerHandle;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('createNodeRedisService', () => {
  it('returns a service at once, which connects on its first command', async () => {
    const prefix = `${uniqueKey('svc')}:`;
    const redis = createNodeRedisService({ url: server.url, keyPrefix: prefix, endpointId: 'cache' });
    try {
      expect(redis).toBeInstanceOf(RedisService);
      expect(redis.driverName).toBe('node-redis');
      expect(redis.capabilities).toMatchObject({
        transactions: true,
        scripting: true,
        binary: true,
        pubsub: true,
      });
      await redis.set('k', 'v');
      expect(await redis.get('k')).toBe('v');
      expect(await redis.command(['GET', `${prefix}k`])).toBe('v');
      const [a, b] = await redis.transaction((tx) => [tx.incr('n'), tx.get('k')]);
      expect(a).toEqual({ ok: true, value: 1 });
      expect(b).toEqual({ ok: true, value: 'v' });
    } finally {
      await redis.close();
    }
  });

  it('fails fast on a closed port, and times out on a server that never answers', async () => {
    const dead = createNodeRedisService({ url: `redis://127.0.0.1:${await closedPort()}` });
    const refused = await timed(dead.get('k'));
    expectError(refused.error, RedisConnectionError);
    expect(refused.ms).toBeLessThan(1000);
    await dead.close();
    const silent = await startSilentServer();
    const hung = createNodeRedisService({ url: silent.url, commandTimeoutMs: 250 });
    try {
      const { ms, error } = await timed(hung.get('k'));
      expectError(error, RedisTimeoutError);
      console.log(
        `service: closed port rejected in ${refused.ms.toFixed(1)} ms; silent server timed out in ${ms.toFixed(1)} ms`,
      );
    } finally {
      await hung.close();
      await silent.close();
    }
  });

  it('refuses bad options with RedisValidationError', () => {
    expect(() => createNodeRedisService({ url: server.url, maxInflight: 0 })).toThrow(RedisValidationError);
    expect(() => createNodeRedisService({ url: server.url, commandTimeoutMs: -1 })).toThrow(
      RedisValidationError,
    );
    expect(() => createNodeRedisService({ url: 'not a url' })).toThrow(RedisValidationError);
  });

  it('serves as the RedisClients factory for node-redis endpoints', async () => {
    const registry = new EndpointRegistry([
      {
        id: 'sessions',
        kind: 'node-redis',
        url: server.url,
        keyPrefix: `${uniqueKey('sessions')}:`,
        maxInflight: 8,
      },
    ]);
    const clients = new RedisClients({ registry, factories: { 'node-redis': createNodeRedisService } });
    try {
      const sessions = clients.get('sessions');
      expect(clients.get('sessions')).toBe(sessions);
      await sessions.set('s:1', 'x');
      expect(await sessions.get('s:1')).toBe('x');
    } finally {
      await clients.closeAll();
    }
  });
});

describe('cluster service factory', () => {
  it('serves an EndpointSpec that names a cluster by its seeds, failing fast when none answers', async () => {
    const dead = `redis://127.0.0.1:${await closedPort()}`;
    const factories: Record<string, ServiceFactory> = { 'node-redis-cluster': createNodeRedisClusterService };
    const registry = new EndpointRegistry([
      {
        id: 'orders',
        kind: 'node-redis-cluster',
        url: dead,
        nodes: [dead],
        commandTimeoutMs: 2000,
        queueTimeoutMs: 2000,
      },
    ]);
    await using clients = new RedisClients({ registry, factories });
    const orders = clients.get('orders');
    expect(orders.capabilities.cluster).toBe(true);
    await expect(orders.get('k')).rejects.toBeInstanceOf(RedisConnectionError);
  });
});
