import { closedPort } from '@redis-service/conformance/harness';
import { RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { createUpstashService } from '../src/index.js';

const limit = { algorithm: 'fixed-window', limit: 10, windowMs: 60_000 } as const;

describe('createUpstashService service options', () => {
  it('takes failurePolicy: a rate limit fails open when Redis cannot be reached', async () => {
    const redis = createUpstashService({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: 'token',
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
    expect(() => createUpstashService({ url: 'http://127.0.0.1:1', token: 'token', failurePolicy })).toThrow(
      RedisValidationError,
    );
  });
});
