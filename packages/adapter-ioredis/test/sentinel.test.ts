import { adminText, type SentinelGroupHandle, startSentinelGroup } from '@redis-service/conformance/harness';
import {
  RedisConnectionLostError,
  RedisReplyError,
  RedisService,
  RedisUnknownMasterError,
  RedisValidationError,
} from '@redis-service/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIoredisDriver,
  createIoredisSentinelDriver,
  createIoredisSentinelService,
  mapIoredisError,
  sentinelFailFastOptions,
} from '../src/index.js';

describe('sentinel options', () => {
  it.each([
    ['no sentinels', { sentinels: [], masterName: 'm' }, /non-empty array/],
    ['no master name', { sentinels: ['redis://127.0.0.1:1'], masterName: '' }, /masterName/],
    [
      'credentials in a sentinel URL',
      { sentinels: ['redis://:pw@127.0.0.1:1'], masterName: 'm' },
      /sentinelPassword/,
    ],
    ['a bad port', { sentinels: [{ host: '127.0.0.1', port: 70_000 }], masterName: 'm' }, /port/],
    ['a bad db', { sentinels: ['redis://127.0.0.1:1'], masterName: 'm', db: -1 }, /db/],
    [
      'a bad timeout',
      { sentinels: ['redis://127.0.0.1:1'], masterName: 'm', commandTimeoutMs: -1 },
      /commandTimeoutMs/,
    ],
  ])('refuses %s with RedisValidationError before connecting', (_name, options, message) => {
    expect(() => createIoredisSentinelService(options)).toThrow(RedisValidationError);
    expect(() => createIoredisSentinelService(options)).toThrow(message);
  });

  it('maps a pass in which a sentinel knew no such master to RedisUnknownMasterError, and a lost command to RedisConnectionLostError', () => {
    const context = { endpoint: "'m' via sentinels 127.0.0.1:1", masterName: 'm' };
    const pass = new Error(
      'All sentinels are unreachable and retry is disabled. Last error: ERR No such master with that name',
    );
    const unknown = mapIoredisError(pass, { ...context, noPrimaryNamed: true });
    expect(unknown).toBeInstanceOf(RedisUnknownMasterError);
    expect((unknown as RedisUnknownMasterError).masterName).toBe('m');
    const lost = mapIoredisError(new Error('write ECONNRESET'), { ...context, written: true });
    expect(lost).toBeInstanceOf(RedisConnectionLostError);
    expect(lost.message).toContain('may have run');
  });
});

describe('on a sentinel group', () => {
  let group: SentinelGroupHandle;
  beforeAll(async () => {
    group = await startSentinelGroup();
  }, 60_000);
  afterAll(async () => {
    await group?.stop();
  }, 60_000);

  it('names the master and sentinels, never a password, in its messages', async () => {
    const driver = createIoredisSentinelDriver({
      sentinels: group.sentinels,
      masterName: 'no-such-primary',
      password: 'not-the-password',
      sentinelPassword: 'nor-this-one',
    });
    try {
      const error = await driver.send(['GET', 'k']).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedisUnknownMasterError);
      expect(String(error)).toContain("'no-such-primary' via sentinels 127.0.0.1:");
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toMatch(/not-the-password|nor-this-one/);
    } finally {
      await driver.close();
    }
  });

  it('a client that missed the switch meets READONLY on the demoted primary (typed), drops the connection and finds the new primary', async () => {
    // A client built by hand without the failover detector learns of the failover only from READONLY.
    const client = new Redis({
      ...sentinelFailFastOptions({ commandTimeoutMs: 5000, connectTimeoutMs: 2000 }),
      sentinels: group.sentinels.map(({ host, port }) => ({ host, port })),
      name: group.masterName,
      failoverDetector: false,
    });
    const redis = new RedisService(createIoredisDriver(client), { keyPrefix: 'readonly:' });
    try {
      await redis.set('before', '1');
      const { to } = await group.failover();
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        const outcome = await redis.set('after', '1').then(
          () => 'ok',
          (error: unknown) => (error instanceof RedisReplyError ? error.prefix : String(error)),
        );
        outcomes.push(outcome);
        if (outcome === 'ok') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(outcomes[0]).toBe('READONLY');
      expect(outcomes.at(-1)).toBe('ok');
      expect(await adminText(to, ['GET', 'readonly:after'])).toBe('1');
    } finally {
      await redis.close();
      await group.restore();
    }
  }, 60_000);
});
