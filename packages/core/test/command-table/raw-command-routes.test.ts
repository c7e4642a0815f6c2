import {
  commandInfo,
  type RedisCommand,
  RedisCommandRefusedError,
  RedisService,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { classifyRawCommand } from '../../src/command-table/classify-raw-command.js';
import {
  BLOCKING_BY_NAME,
  BLOCKING_USE,
  REFUSED_COMMANDS,
  REFUSED_NEWER_THAN_TABLE,
} from '../../src/command-table/raw-command-policy.js';
import { FakeDriver } from '../support/fake-driver.js';

const route = (...argv: RedisCommand) => classifyRawCommand(argv).route;

describe('classifyRawCommand', () => {
  it.each([
    ['SUBSCRIBE', 'news'],
    ['psubscribe', 'n*'],
    ['SSUBSCRIBE', 'shard'],
    ['UNSUBSCRIBE'],
    ['MULTI'],
    ['EXEC'],
    ['DISCARD'],
    ['WATCH', 'k'],
    ['UNWATCH'],
    ['SELECT', 1],
    ['SWAPDB', 0, 1],
    ['QUIT'],
    ['RESET'],
    ['HELLO', 3],
    ['HELLO'],
    ['AUTH', 'pw'],
    ['CLIENT', 'REPLY', 'OFF'],
    ['client', 'Tracking', 'on'],
    ['CLIENT', 'SETNAME', 'x'],
    ['CLIENT', 'NO-TOUCH', 'ON'],
    ['MONITOR'],
    ['SYNC'],
    ['PSYNC', '?', -1],
    ['REPLICAOF', 'h', 1],
    ['SLAVEOF', 'NO', 'ONE'],
    ['READONLY'],
    [new TextEncoder().encode('multi')],
  ])('refuses %s', (...argv) => {
    const result = classifyRawCommand(argv);
    expect(result.route).toBe('refused');
  });

  it.each([
    ['BLPOP', 'q', 0],
    ['brpop', 'a', 'b', 1.5],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', 0],
    ['BRPOPLPUSH', 'a', 'b', 0],
    ['BLMPOP', 0, 1, 'a', 'LEFT'],
    ['BZPOPMIN', 'z', 0],
    ['BZPOPMAX', 'z', 0],
    ['BZMPOP', 0, 1, 'z', 'MIN'],
    ['XREAD', 'BLOCK', 0, 'STREAMS', 's', '$'],
    ['xreadgroup', 'GROUP', 'g', 'c', 'block', 10, 'STREAMS', 's', '>'],
    ['WAIT', 1, 0],
    ['WAITAOF', 1, 0, 0],
  ])('routes %s to a dedicated connection', (...argv) => {
    expect(classifyRawCommand(argv).route).toBe('blocking');
  });

  it.each([
    ['GET', 'k'],
    ['XREAD', 'COUNT', 1, 'STREAMS', 's', '0'],
    ['XREAD', 'STREAMS', 'BLOCK', '0'],
    ['CLIENT', 'LIST'],
    ['CLIENT', 'ID'],
    ['CLIENT', 'KILL', 'ID', 1],
    ['PUBLISH', 'c', 'm'],
    ['EVAL', 'return 1', 0],
    ['FT.SEARCH', 'idx', '*'],
    ['LPOP', 'q'],
    ['INFO', 'server'],
  ])('lets %s run on the shared connection', (...argv) => {
    expect(route(...argv)).toBe('shared');
  });

  it('names the API to use instead', () => {
    expect(classifyRawCommand(['SUBSCRIBE', 'a'])).toMatchObject({
      command: 'SUBSCRIBE',
      use: expect.stringContaining('redis.subscribe'),
    });
    expect(classifyRawCommand(['MULTI'])).toMatchObject({
      use: expect.stringContaining('redis.transaction'),
    });
    expect(classifyRawCommand(['client', 'reply', 'off'])).toMatchObject({ command: 'CLIENT REPLY' });
    expect(classifyRawCommand(['BLPOP', 'q', 0])).toMatchObject({
      command: 'BLPOP',
      use: expect.stringContaining('redis.blpop'),
    });
  });

  it('every refused or blocking name is one the table knows (or is listed as newer than it)', () => {
    for (const name of Object.keys(REFUSED_COMMANDS)) {
      if (REFUSED_NEWER_THAN_TABLE.includes(name)) expect(commandInfo(name), name).toBeUndefined();
      else expect(commandInfo(name), name).toBeDefined();
    }
    for (const name of Object.keys(BLOCKING_USE)) {
      expect(commandInfo(name)?.flags, name).toContain('blocking');
    }
    expect(commandInfo('wait')?.flags, 'WAIT is not flagged blocking in the table').not.toContain('blocking');
    expect(BLOCKING_BY_NAME).toContain('wait');
  });
});

describe('RedisService.command refuses before anything is sent', () => {
  it.each([
    [['SUBSCRIBE', 'news'], 'connection-state', 'redis.subscribe'],
    [['MULTI'], 'connection-state', 'redis.transaction'],
    [['SELECT', 1], 'connection-state', 'another service'],
    [['CLIENT', 'REPLY', 'OFF'], 'connection-state', 'no replacement'],
    [['MONITOR'], 'connection-state', 'redis-cli monitor'],
    [['QUIT'], 'connection-state', 'redis.close()'],
    [['HELLO', 3], 'connection-state', 'connection options'],
    [['BLPOP', 'q', 0], 'blocking', 'redis.blpop'],
  ] as const)('%s', async (argv, reason, use) => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const error = await redis.command(argv).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisCommandRefusedError);
    expect(error).toBeInstanceOf(RedisValidationError);
    expect(error).toMatchObject({ reason, code: 'ERR_REDIS_VALIDATION' });
    expect((error as Error).message).toContain(use);
    expect(driver.calls).toEqual([]);
    expect(redis.stats.active).toBe(0);
  });

  it('refuses an empty argument vector', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    await expect(redis.command([])).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });

  it('sends everything else as given', async () => {
    const driver = new FakeDriver().reply('v', ['a']);
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    expect(await redis.command(['GET', 'k'])).toBe('v');
    expect(await redis.command(['XREAD', 'COUNT', 1, 'STREAMS', 's', '0'])).toEqual(['a']);
    expect(driver.sent).toEqual([
      ['GET', 'k'],
      ['XREAD', 'COUNT', 1, 'STREAMS', 's', '0'],
    ]);
  });
});
