import {
  defineScript,
  evalWithFallback,
  RedisConnectionError,
  RedisReplyError,
  RedisService,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../../src/util/sha1.js';
import { FakeDriver } from '../support/fake-driver.js';

const source = 'return redis.call("GET", KEYS[1])';

describe('defineScript', () => {
  it('names a script by the SHA-1 of its source', () => {
    expect(defineScript(source)).toEqual({ source, sha1: sha1Hex(source) });
    expect(defineScript('return 1').sha1).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
  });
});

describe('evalWithFallback', () => {
  const script = defineScript(source);

  it('sends EVALSHA with the key count, keys and args', async () => {
    const driver = new FakeDriver().reply('v');
    await expect(evalWithFallback((c, o) => driver.send(c, o), script, ['k'], ['a', 1])).resolves.toBe('v');
    expect(driver.sent).toEqual([['EVALSHA', script.sha1, 1, 'k', 'a', 1]]);
  });

  it('falls back to EVAL on NOSCRIPT', async () => {
    const driver = new FakeDriver()
      .fail(new RedisReplyError('NOSCRIPT No matching script. Please use EVAL.'))
      .reply('v');
    await expect(evalWithFallback((c, o) => driver.send(c, o), script, ['k'], [])).resolves.toBe('v');
    expect(driver.sent).toEqual([
      ['EVALSHA', script.sha1, 1, 'k'],
      ['EVAL', source, 1, 'k'],
    ]);
  });

  it('passes other errors through without a retry', async () => {
    const error = new RedisReplyError('ERR Error running script');
    const driver = new FakeDriver().fail(error);
    await expect(evalWithFallback((c, o) => driver.send(c, o), script, [], [])).rejects.toBe(error);
    const lost = new RedisConnectionError('connection lost');
    const second = new FakeDriver().fail(lost);
    await expect(evalWithFallback((c, o) => second.send(c, o), script, [], [])).rejects.toBe(lost);
    expect(driver.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(1);
  });

  it('passes send options through to both attempts', async () => {
    const driver = new FakeDriver().fail(new RedisReplyError('NOSCRIPT missing')).reply('v');
    const signal = new AbortController().signal;
    await evalWithFallback((c, o) => driver.send(c, o), script, [], [], { binary: true, signal });
    expect(driver.calls.map((call) => call.method === 'send' && call.options)).toEqual([
      { binary: true, signal },
      { binary: true, signal },
    ]);
  });
});

describe('RedisService.runScript', () => {
  it('prefixes the keys, not the args, and falls back on NOSCRIPT', async () => {
    const script = defineScript(source);
    const driver = new FakeDriver().fail(new RedisReplyError('NOSCRIPT No matching script.')).reply('v');
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(redis.runScript(script, { keys: ['k'], args: ['arg'] })).resolves.toBe('v');
    expect(driver.sent).toEqual([
      ['EVALSHA', script.sha1, 1, 'app:k', 'arg'],
      ['EVAL', source, 1, 'app:k', 'arg'],
    ]);
  });

  it('runs a script without keys or args', async () => {
    const script = defineScript('return 1');
    const driver = new FakeDriver().reply(1);
    const redis = new RedisService(driver);
    await expect(redis.runScript(script)).resolves.toBe(1);
    expect(driver.sent).toEqual([['EVALSHA', script.sha1, 0]]);
  });
});
