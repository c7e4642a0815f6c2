import assert from 'node:assert/strict';
import { defineScript, RedisReplyError } from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { reply } from '../../fake/resp-value.js';
import { DELICATE_STRINGS, NUMBERS } from './tricky-arguments.js';
import { commandsNamed, PROMPT_FAILURE_MS, rejectsWithin, scenario, utf8 } from './unit-support.js';

const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';

const noscriptFallback: UnitCase = {
  id: 'scripts/noscript-fallback',
  group: 'scripts',
  name: 'evalScript sends EVALSHA, and on -NOSCRIPT sends EVAL with the source and resolves its reply',
  tier: 'unit',
  requires: ['scripting'],
  async run(ctx) {
    const script = defineScript("return redis.call('INCR', KEYS[1])");
    const { server, driver } = await scenario(ctx, (command) => {
      if (command[0] === 'EVALSHA') return reply.error(NOSCRIPT);
      if (command[0] === 'EVAL') return reply.int(1);
      return undefined;
    });
    assert.equal(await driver.evalScript(script, ['counter'], ['by']), 1);
    assert.deepEqual(commandsNamed(server, 'EVALSHA', 'EVAL'), [
      ['EVALSHA', script.sha1, '1', 'counter', 'by'],
      ['EVAL', script.source, '1', 'counter', 'by'],
    ]);
  },
};

const evalshaHit: UnitCase = {
  id: 'scripts/evalsha-hit',
  group: 'scripts',
  name: 'evalScript resolves the EVALSHA reply and sends no EVAL when the server knows the script',
  tier: 'unit',
  requires: ['scripting'],
  async run(ctx) {
    const script = defineScript('return {1, ARGV[1]}');
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'EVALSHA' ? reply.array([reply.int(1), reply.bulk('x')]) : undefined,
    );
    assert.deepEqual(await driver.evalScript(script, [], ['x']), [1, 'x']);
    assert.deepEqual(commandsNamed(server, 'EVALSHA', 'EVAL'), [['EVALSHA', script.sha1, '0', 'x']]);
  },
};

const scriptErrorNoFallback: UnitCase = {
  id: 'scripts/error-without-fallback',
  group: 'scripts',
  name: 'a script error other than NOSCRIPT rejects with RedisReplyError and does not fall back to EVAL',
  tier: 'unit',
  requires: ['scripting'],
  async run(ctx) {
    const script = defineScript('return x');
    const message =
      "ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: " +
      `${script.sha1}, on @user_script:1.`;
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'EVALSHA' || command[0] === 'EVAL' ? reply.error(message) : undefined,
    );
    const error = await rejectsWithin(
      driver.evalScript(script, [], []),
      RedisReplyError,
      PROMPT_FAILURE_MS,
      'evalScript',
    );
    assert.equal(error.message, message);
    assert.deepEqual(commandsNamed(server, 'EVALSHA', 'EVAL'), [['EVALSHA', script.sha1, '0']]);
  },
};

const scriptArgumentVector: UnitCase = {
  id: 'scripts/argument-vector',
  group: 'scripts',
  name: 'script keys and arguments arrive one bulk string each, byte for byte; numbers as decimal strings',
  tier: 'unit',
  requires: ['scripting'],
  async run(ctx) {
    const script = defineScript('return 1');
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'EVALSHA' ? reply.int(1) : undefined,
    );
    const keys = DELICATE_STRINGS.slice(0, 2);
    const args = [...DELICATE_STRINGS.slice(2), ...NUMBERS.map(([value]) => value)];
    assert.equal(await driver.evalScript(script, keys, args), 1);
    const [sent, ...more] = server.received.filter((command) => command.argv[0] === 'EVALSHA');
    assert.ok(sent, 'the server received EVALSHA');
    assert.equal(more.length, 0, 'EVALSHA was sent once');
    const expected = [
      'EVALSHA',
      script.sha1,
      String(keys.length),
      ...keys,
      ...DELICATE_STRINGS.slice(2),
      ...NUMBERS.map(([, text]) => text),
    ];
    assert.equal(sent.raw.length, expected.length, `the server received ${expected.length} arguments`);
    for (const [index, text] of expected.entries()) {
      if (index === 0) continue; // the name's case is the driver's choice
      assert.deepEqual(
        sent.raw[index],
        utf8(text),
        `argument ${index} is ${JSON.stringify(text)}, byte for byte`,
      );
    }
  },
};

/** EVALSHA with its EVAL fallback, and what script arguments look like on the wire. */
export const scriptCases: readonly UnitCase[] = [
  noscriptFallback,
  evalshaHit,
  scriptErrorNoFallback,
  scriptArgumentVector,
];
