import assert from 'node:assert/strict';
import type { RedisCommand } from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { reply } from '../../fake/resp-value.js';
import type { ReceivedCommand, ScriptedServer } from '../../fake/scripted-server.js';
import { DELICATE_STRINGS, NUMBERS } from './tricky-arguments.js';
import { scenario, utf8 } from './unit-support.js';

/** Asserts the server received `name` once per expected vector, each argument byte for byte. */
function assertReceived(
  server: ScriptedServer,
  name: string,
  expected: readonly (readonly Uint8Array[])[],
): void {
  const received: ReceivedCommand[] = server.received.filter((command) => command.argv[0] === name);
  assert.equal(received.length, expected.length, `the server received ${expected.length} ${name} command(s)`);
  for (const [which, args] of expected.entries()) {
    const raw = received[which]!.raw;
    assert.equal(raw.length, args.length + 1, `${name} #${which + 1} arrived with ${args.length} arguments`);
    for (const [index, bytes] of args.entries()) {
      assert.deepEqual(raw[index + 1], bytes, `${name} #${which + 1}, argument ${index + 1}, byte for byte`);
    }
  }
}

const sendArgumentVector: UnitCase = {
  id: 'arguments/send-argument-vector',
  group: 'arguments',
  name: 'send puts each argument in its own bulk string, byte for byte, never into a command line',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'RPUSH' ? reply.int(1) : undefined,
    );
    await driver.send(['RPUSH', 'list', ...DELICATE_STRINGS]);
    assertReceived(server, 'RPUSH', [['list', ...DELICATE_STRINGS].map(utf8)]);
  },
};

const numberArguments: UnitCase = {
  id: 'arguments/numbers-as-decimal',
  group: 'arguments',
  name: 'number and bigint arguments arrive as their exact decimal text',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'RPUSH' ? reply.int(1) : undefined,
    );
    await driver.send(['RPUSH', 'list', ...NUMBERS.map(([value]) => value)]);
    assertReceived(server, 'RPUSH', [['list', ...NUMBERS.map(([, text]) => text)].map(utf8)]);
  },
};

const binaryArgument: UnitCase = {
  id: 'arguments/binary',
  group: 'arguments',
  name: 'a Uint8Array argument arrives as exactly its bytes (all 256 values)',
  tier: 'unit',
  requires: ['binary'],
  async run(ctx) {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'SET' ? reply.ok() : undefined,
    );
    await driver.send(['SET', utf8('key\u0000\r\n'), payload]);
    assertReceived(server, 'SET', [[utf8('key\u0000\r\n'), payload]]);
  },
};

const batchArgumentVector: UnitCase = {
  id: 'arguments/batch-argument-vector',
  group: 'arguments',
  name: 'batched commands keep their argument vectors too, byte for byte',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) =>
      command[0] === 'RPUSH' ? reply.int(1) : undefined,
    );
    const commands: RedisCommand[] = [
      ['RPUSH', 'a', ...DELICATE_STRINGS],
      ['RPUSH', 'b', ...NUMBERS.map(([value]) => value)],
    ];
    const results = await driver.batch(commands, { transaction: false });
    assert.deepEqual(results, [
      { ok: true, value: 1 },
      { ok: true, value: 1 },
    ]);
    assertReceived(server, 'RPUSH', [
      ['a', ...DELICATE_STRINGS].map(utf8),
      ['b', ...NUMBERS.map(([, text]) => text)].map(utf8),
    ]);
  },
};

/** What commands look like on the wire: argument vectors, never command lines. */
export const argumentCases: readonly UnitCase[] = [
  sendArgumentVector,
  numberArguments,
  binaryArgument,
  batchArgumentVector,
];
