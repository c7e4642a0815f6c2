import { type SentinelGroupHandle, startSentinelGroup } from '@redis-service/conformance/harness';
import { RedisAuthError, RedisConnectionError, RedisError } from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIoredisSentinelService } from '../src/index.js';

const user = { username: 'app', password: 'app-secret' };

/** What a call rejected with; fails the test if it did not. */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('ACL users on the data nodes and on the sentinels', () => {
  let group: SentinelGroupHandle;
  beforeAll(async () => {
    group = await startSentinelGroup({ aclUser: user });
  }, 90_000);
  afterAll(async () => {
    await group?.stop();
  }, 60_000);

  const options = () => ({
    sentinels: group.sentinels,
    masterName: group.masterName,
    username: user.username,
    password: user.password,
    sentinelUsername: user.username,
    sentinelPassword: user.password,
    keyPrefix: 'credentials:',
  });

  it('with the right credentials it works, and after SENTINEL FAILOVER it works on the new primary', async () => {
    const redis = createIoredisSentinelService(options());
    try {
      await redis.set('before', '1');
      expect(await redis.get('before')).toBe('1');
      await group.failover();
      let after: string | null = null;
      for (let attempt = 0; attempt < 200 && after !== '2'; attempt++) {
        after = await redis.set('after', '2').then(
          () => redis.get('after'),
          () => null,
        );
        if (after !== '2') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(after).toBe('2');
    } finally {
      await redis.close();
      await group.restore();
    }
  }, 120_000);

  it('a wrong data-node password is a RedisAuthError, and says nothing of the password', async () => {
    const redis = createIoredisSentinelService({ ...options(), password: 'wrong-data-password' });
    try {
      const error = await rejection(redis.get('k'));
      expect(error).toBeInstanceOf(RedisAuthError);
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toMatch(/wrong-data-password|app-secret/);
    } finally {
      await redis.close();
    }
  }, 60_000);

  it('a wrong sentinel password is a typed error (no sentinel would answer), and says nothing of the password', async () => {
    const redis = createIoredisSentinelService({ ...options(), sentinelPassword: 'wrong-sentinel-password' });
    try {
      const error = await rejection(redis.get('k'));
      expect(error).toBeInstanceOf(RedisError);
      expect(error instanceof RedisAuthError || error instanceof RedisConnectionError).toBe(true);
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toMatch(/wrong-sentinel-password|app-secret/);
    } finally {
      await redis.close();
    }
  }, 60_000);
});
