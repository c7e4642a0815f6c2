import assert from 'node:assert/strict';
import { defineScript, RedisClosedError, RedisError, RedisReplyError } from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { reply } from '../../fake/resp-value.js';
import { HANG } from '../../fake/script.js';
import {
  commandsNamed,
  describeError,
  PROMPT_FAILURE_MS,
  rejectsWithin,
  scenario,
  settleWithin,
} from './unit-support.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

const wrongtype: UnitCase = {
  id: 'errors/wrongtype-reply',
  group: 'errors',
  name: 'a -WRONGTYPE reply rejects with RedisReplyError carrying the message verbatim, and the connection stays usable',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) => {
      if (command[0] !== 'GET') return undefined;
      return command[1] === 'list' ? reply.error(WRONGTYPE) : reply.bulk('still fine');
    });
    const error = await rejectsWithin(
      driver.send(['GET', 'list']),
      RedisReplyError,
      PROMPT_FAILURE_MS,
      'GET list',
    );
    assert.ok(error instanceof RedisError, 'a RedisReplyError is a RedisError');
    assert.equal(error.message, WRONGTYPE);
    assert.equal(error.prefix, 'WRONGTYPE');
    assert.equal(error.code, 'ERR_REDIS_REPLY');
    assert.equal(await driver.send(['GET', 'string']), 'still fine', 'the next command gets its own reply');
  },
};

const errReply: UnitCase = {
  id: 'errors/err-reply',
  group: 'errors',
  name: 'an -ERR reply rejects with RedisReplyError, prefix ERR, message verbatim',
  tier: 'unit',
  async run(ctx) {
    const message = 'ERR value is not an integer or out of range (and \'quotes\' "too")';
    const { driver } = await scenario(ctx, (command) =>
      command[0] === 'INCR' ? reply.error(message) : undefined,
    );
    const error = await rejectsWithin(
      driver.send(['INCR', 'k']),
      RedisReplyError,
      PROMPT_FAILURE_MS,
      'INCR k',
    );
    assert.equal(error.message, message);
    assert.equal(error.prefix, 'ERR');
  },
};

const useAfterClose: UnitCase = {
  id: 'errors/use-after-close',
  group: 'errors',
  name: 'after close(), send, batch and evalScript reject with RedisClosedError without sending; close() is idempotent',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'GET' ? reply.bulk('v') : undefined,
    );
    assert.equal(await driver.send(['GET', 'before']), 'v');
    await driver.close();
    await rejectsWithin(
      driver.send(['GET', 'after']),
      RedisClosedError,
      PROMPT_FAILURE_MS,
      'send after close',
    );
    await rejectsWithin(
      driver.batch([['GET', 'after']], { transaction: false }),
      RedisClosedError,
      PROMPT_FAILURE_MS,
      'batch after close',
    );
    if (driver.capabilities.scripting) {
      await rejectsWithin(
        driver.evalScript(defineScript('return 1'), [], []),
        RedisClosedError,
        PROMPT_FAILURE_MS,
        'evalScript after close',
      );
    }
    await driver.close();
    assert.deepEqual(
      commandsNamed(server, 'GET', 'EVALSHA', 'EVAL'),
      [['GET', 'before']],
      'nothing sent after close',
    );
  },
};

const closeInFlight: UnitCase = {
  id: 'errors/close-rejects-in-flight',
  group: 'errors',
  name: 'close() with a command in flight rejects it with RedisClosedError instead of leaving it pending',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) => (command[0] === 'GET' ? HANG : undefined));
    const pending = driver.send(['GET', 'k']);
    // Close only once the command is on the wire, so it is really in flight.
    await server.waitForCommand((command) => command.argv[0] === 'GET', PROMPT_FAILURE_MS);
    const closing = driver.close();
    await rejectsWithin(pending, RedisClosedError, PROMPT_FAILURE_MS, 'the in-flight GET');
    const closed = await settleWithin(closing, PROMPT_FAILURE_MS, 'close() with a command in flight');
    assert.ok(closed.ok, `close() rejected: ${closed.ok ? '' : describeError(closed.error)}`);
  },
};

/** Server error replies map to `RedisReplyError`; a closed driver refuses with `RedisClosedError`. */
export const errorCases: readonly UnitCase[] = [wrongtype, errReply, useAfterClose, closeInFlight];
