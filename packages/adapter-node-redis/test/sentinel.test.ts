import { EventEmitter } from 'node:events';
import { startSentinelGroup } from '@redis-service/conformance/harness';
import {
  RedisConnectionError,
  RedisConnectionLostError,
  RedisReplyError,
  RedisService,
  RedisUnknownMasterError,
  RedisValidationError,
} from '@redis-service/core';
import { createSentinel, ErrorReply, SocketClosedUnexpectedlyError } from 'redis';
import { describe, expect, it } from 'vitest';
import {
  createNodeRedisSentinelService,
  type NodeRedisClient,
  type NodeRedisSentinel,
  NodeRedisSentinelDriver,
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
    ['a bad db', { sentinels: ['redis://127.0.0.1:1'], masterName: 'm', db: 1.5 }, /db/],
    [
      'a bad timeout',
      { sentinels: ['redis://127.0.0.1:1'], masterName: 'm', connectTimeoutMs: -1 },
      /connectTimeoutMs/,
    ],
  ])('refuses %s with RedisValidationError before connecting', (_name, options, message) => {
    expect(() => createNodeRedisSentinelService(options)).toThrow(RedisValidationError);
    expect(() => createNodeRedisSentinelService(options)).toThrow(message);
  });
});

/** A scripted stand-in for node-redis' sentinel: `_execute` hands out `primary`, whatever it is now. */
class FakeSentinel extends EventEmitter implements NodeRedisSentinel {
  isOpen = false;
  isReady = false;
  connects = 0;
  failConnects = 0;
  primary: FakeClient = new FakeClient();

  async connect(): Promise<unknown> {
    this.connects++;
    if (this.failConnects > 0) {
      this.failConnects--;
      this.emit('error', new ErrorReply('ERR No such master with that name'));
      throw new Error('None of the sentinels are available');
    }
    this.isOpen = true;
    this.isReady = true;
    return this;
  }

  async destroy(): Promise<void> {
    this.isOpen = false;
  }

  _execute<T>(_isReadonly: boolean | undefined, fn: (client: NodeRedisClient) => Promise<T>): Promise<T> {
    return fn(this.primary as unknown as NodeRedisClient);
  }

  async subscribe(): Promise<unknown> {
    return undefined;
  }

  async unsubscribe(): Promise<unknown> {
    return undefined;
  }

  async pSubscribe(): Promise<unknown> {
    return undefined;
  }

  async pUnsubscribe(): Promise<unknown> {
    return undefined;
  }
}

/** The primary's client: answers each command with the next scripted outcome. */
class FakeClient {
  isOpen = true;
  isReady = true;
  destroyed = 0;
  readonly sent: string[][] = [];
  readonly outcomes: (() => Promise<unknown>)[] = [];

  sendCommand(args: readonly (string | Buffer)[]): Promise<unknown> {
    this.sent.push(args.map(String));
    return (this.outcomes.shift() ?? (() => Promise.resolve(Buffer.from('OK'))))();
  }

  destroy(): void {
    this.destroyed++;
    this.isOpen = false;
    this.isReady = false;
  }
}

function serviceOver(sentinel: FakeSentinel): RedisService {
  return new RedisService(
    new NodeRedisSentinelDriver(sentinel, { masterName: 'orders', sentinels: ['10.0.0.1:26379'] }),
  );
}

describe('NodeRedisSentinelDriver', () => {
  it('opens the sentinel on the first command, and again after a failed attempt', async () => {
    const sentinel = new FakeSentinel();
    sentinel.failConnects = 1;
    const redis = serviceOver(sentinel);
    const error = await redis.set('k', 'v').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisUnknownMasterError);
    expect((error as RedisUnknownMasterError).masterName).toBe('orders');
    expect(String(error)).toContain("'orders' via sentinels 10.0.0.1:26379");
    await expect(redis.set('k', 'v')).resolves.toBe(true);
    expect(sentinel.connects).toBe(2);
    await redis.close();
  });

  it('drops the primary client that answered READONLY, so the next command asks the sentinels again; nothing is resent', async () => {
    const sentinel = new FakeSentinel();
    const demoted = sentinel.primary;
    demoted.outcomes.push(() =>
      Promise.reject(new ErrorReply("READONLY You can't write against a read only replica.")),
    );
    const redis = serviceOver(sentinel);
    const error = await redis.set('k', 'v').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisReplyError);
    expect((error as RedisReplyError).prefix).toBe('READONLY');
    expect(demoted.destroyed).toBe(1);
    expect(demoted.sent).toEqual([['SET', 'k', 'v']]);
    sentinel.primary = new FakeClient();
    await expect(redis.set('k', 'v')).resolves.toBe(true);
    await redis.close();
  });

  it('says a command lost after it was written may have run, and one refused before it was not sent', async () => {
    const sentinel = new FakeSentinel();
    sentinel.primary.outcomes.push(() => Promise.reject(new SocketClosedUnexpectedlyError()));
    const redis = serviceOver(sentinel);
    await expect(redis.incr('k')).rejects.toBeInstanceOf(RedisConnectionLostError);
    sentinel.failConnects = 1;
    await sentinel.destroy();
    const refused = await redis.incr('k').catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(RedisConnectionError);
    expect(refused).not.toBeInstanceOf(RedisConnectionLostError);
    await redis.close();
  });

  it('drops the primary client when core resets a connection that looks half-open', async () => {
    const sentinel = new FakeSentinel();
    const driver = new NodeRedisSentinelDriver(sentinel, { masterName: 'orders' });
    await driver.send(['PING']);
    const silent = sentinel.primary;
    driver.resetConnection(new Error('no answer to PING'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(silent.destroyed).toBe(1);
    await driver.close();
  });

  it('refuses a raw SELECT, which a new primary would not keep', async () => {
    const sentinel = new FakeSentinel();
    const driver = new NodeRedisSentinelDriver(sentinel, { masterName: 'orders' });
    await expect(driver.send(['SELECT', '1'])).rejects.toBeInstanceOf(RedisValidationError);
    expect(sentinel.primary.sent).toEqual([]);
    await driver.close();
  });
});

describe('on a sentinel group', () => {
  it('takes a sentinel the caller built with sentinelFailFastOptions', async () => {
    const group = await startSentinelGroup();
    try {
      const sentinel = createSentinel({
        ...sentinelFailFastOptions({ connectTimeoutMs: 2000 }),
        name: group.masterName,
        sentinelRootNodes: group.sentinels.map(({ host, port }) => ({ host, port })),
      });
      const redis = new RedisService(new NodeRedisSentinelDriver(sentinel, { masterName: group.masterName }));
      try {
        await redis.set('k', 'v');
        expect(await redis.get('k')).toBe('v');
        expect(await redis.wait(1, 2000)).toBe(1);
      } finally {
        await redis.close();
      }
    } finally {
      await group.stop();
    }
  }, 60_000);
});
