import { startRedisServer } from '@redis-service/conformance/harness';
import { RedisValidationError } from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIovalkeyService } from '../src/iovalkey-driver.js';

let server: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('createIovalkeyService', () => {
  it('builds a service that prefixes its keys and works against a real server', async () => {
    await using redis = createIovalkeyService(server.url, { keyPrefix: 'example:', id: 'iovalkey-example' });
    await redis.set('greeting', 'hello');
    expect(await redis.get('greeting')).toBe('hello');
    expect(await redis.command(['GET', 'example:greeting'])).toBe('hello');
  });

  it('refuses a URL that is not redis:// before anything connects', () => {
    expect(() => createIovalkeyService('http://127.0.0.1:1')).toThrow(RedisValidationError);
  });
});
