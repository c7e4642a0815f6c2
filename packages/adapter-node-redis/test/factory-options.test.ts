import { closedPort } from '@redis-service/conformance/harness';
import { RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { createNodeRedisService } from '../src/index.js';

const limit = { algorithm: 'fixed-window', limit: 10, windowMs: 60_000 } as const;

describe('createNodeRedisService service options', () => {
  it('takes failurePolicy: a rate limit fails open when Redis cannot be reached', async () => {
    const redis = createNodeRedisService({
      url: `redis://127.0.0.1:${await closedPort()}`,
      failurePolicy: 'fail-open',
    });
    try {
      await expect(redis.checkRateLimit('api', limit)).resolves.toMatchObject({
        allowed: true,
        degraded: true,
      });
    } finally {
      await redis.close();
    }
  });

  it('refuses a failurePolicy it does not know, before connecting', () => {
    const failurePolicy = 'fail-sometimes' as unknown as 'fail-open';
    expect(() => createNodeRedisService({ url: 'redis://127.0.0.1:1', failurePolicy })).toThrow(
      RedisValidationError,
    );
  });
});
