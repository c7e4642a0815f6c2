import { parseSentinels, RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('parseSentinels', () => {
  it('reads URLs and { host, port }, with the sentinel port as default', () => {
    const parsed = parseSentinels({
      sentinels: [
        'redis://10.0.0.1:26380',
        new URL('redis://sentinel-b'),
        { host: '10.0.0.3', port: 5000 },
        { host: '::1' },
      ],
      masterName: 'orders',
    });
    expect(parsed).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 26380 },
        { host: 'sentinel-b', port: 26379 },
        { host: '10.0.0.3', port: 5000 },
        { host: '::1', port: 26379 },
      ],
      tls: false,
      masterName: 'orders',
    });
    expect(parseSentinels({ sentinels: ['rediss://[::1]:26379', 'rediss://b:1'], masterName: 'm' }).tls).toBe(
      true,
    );
    expect(parseSentinels({ sentinels: ['rediss://[::1]:26379'], masterName: 'm', db: 2 }).nodes).toEqual([
      { host: '::1', port: 26379 },
    ]);
  });

  it.each([
    [[], 'm', /non-empty array/],
    [['redis://a:1'], '', /masterName/],
    [['redis://a:1'], undefined, /masterName/],
    [['http://a:1'], 'm', /'http:' URL/],
    [['not a url'], 'm', /is not a URL/],
    [['redis://:s3cret@a:1'], 'm', /sentinelPassword/],
    [['redis://a:1/0'], 'm', /without a path/],
    [['redis://a:1', 'rediss://b:1'], 'm', /mixes/],
    [[{ host: '', port: 1 }], 'm', /with a host/],
    [[{ host: 'a', port: 0 }], 'm', /port from 1 to 65535/],
    [[{ host: 'a', port: 1.5 }], 'm', /port from 1 to 65535/],
    [['redis://a:1'], 'm', /db must be an integer/, -1],
    [['redis://a:1'], 'm', /db must be an integer/, 0.5],
  ])('refuses %j with master name %j', (sentinels, masterName, message, db?: number) => {
    const options = { sentinels, masterName, ...(db === undefined ? {} : { db }) } as never;
    expect(() => parseSentinels(options)).toThrow(RedisValidationError);
    expect(() => parseSentinels(options)).toThrow(message);
  });

  it('never quotes a password in its message', () => {
    try {
      parseSentinels({ sentinels: ['redis://user:hunter2@a:1'], masterName: 'm' });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});
