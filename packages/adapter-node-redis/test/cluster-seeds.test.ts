import { createServer } from 'node:net';
import { RedisConnectionError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { createNodeRedisClusterService } from '../src/index.js';

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('node-redis cluster seeds in messages', () => {
  it('names the seeds it could not reach, never their credentials', async () => {
    const port = await closedPort();
    const redis = createNodeRedisClusterService({ nodes: [`redis://app:s3cret@127.0.0.1:${port}`] });
    try {
      const error = await redis.get('k').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedisConnectionError);
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect((error as Error).message).not.toContain('no seeds');
      expect((error as Error).message).not.toContain('s3cret');
    } finally {
      await redis.close();
    }
  });
});
