import assert from 'node:assert/strict';
import {
  type BatchItemResult,
  type RedisCommand,
  type RedisReply,
  RedisReplyError,
  RedisSerializationError,
} from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { type RespValue, reply } from '../../fake/resp-value.js';
import type { ScriptedServer, ScriptedServerScript } from '../../fake/scripted-server.js';
import {
  argvOf,
  assertInstance,
  assertReply,
  commandsNamed,
  describe,
  PROMPT_FAILURE_MS,
  scenario,
  settleWithin,
} from './unit-support.js';

const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';

/** Asserts a batch result is a value, and that value. */
function assertOk(result: BatchItemResult | undefined, expected: RedisReply, what: string): void {
  assert.ok(result, `${what}: no result`);
  if (!result.ok)
    assert.fail(`${what}: expected ${describe(expected)}, got an error: ${result.error.message}`);
  assertReply(result.value, expected, what);
}

/** Asserts a batch result is a `RedisReplyError`, and returns it. */
function assertReplyError(result: BatchItemResult | undefined, what: string): RedisReplyError {
  assert.ok(result, `${what}: no result`);
  if (result.ok) assert.fail(`${what}: expected a RedisReplyError, got the value ${describe(result.value)}`);
  assertInstance(result.error, RedisReplyError, what);
  return result.error;
}

async function sendBatch(
  batch: Promise<BatchItemResult[]>,
  commands: readonly RedisCommand[],
  what: string,
): Promise<BatchItemResult[]> {
  const outcome = await settleWithin(batch, PROMPT_FAILURE_MS * 2, what);
  if (!outcome.ok) {
    const error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    assert.fail(`${what}: rejected as a whole (${error}); each command should have had its own result`);
  }
  assert.equal(outcome.value.length, commands.length, `${what}: exactly one result per command`);
  return outcome.value;
}

/**
 * A server that does MULTI/EXEC like Redis: each command inside MULTI is answered `+QUEUED` (or
 * refused by `refuse`, which aborts the transaction) and EXEC answers them all at once.
 */
function transactionScript(
  answer: (command: readonly string[]) => RespValue,
  refuse: (command: readonly string[]) => RespValue | undefined = () => undefined,
): ScriptedServerScript {
  const open = new Map<number, { replies: RespValue[]; aborted: boolean }>();
  return (command, { connection }) => {
    const [name] = command;
    if (name === 'MULTI') {
      open.set(connection, { replies: [], aborted: false });
      return reply.ok();
    }
    const queue = open.get(connection);
    if (!queue) return undefined;
    if (name === 'EXEC' || name === 'DISCARD') {
      open.delete(connection);
      if (name === 'DISCARD') return reply.ok();
      return queue.aborted ? reply.error(EXECABORT) : reply.array(queue.replies);
    }
    const refusal = refuse(command);
    if (refusal) {
      queue.aborted = true;
      return refusal;
    }
    queue.replies.push(answer(command));
    return reply.queued();
  };
}

/** What the driver sent on the transaction's connection, from MULTI to EXEC (or DISCARD). */
function transactionArgv(server: ScriptedServer): string[][] {
  const received = server.received;
  const multi = received.find((command) => command.argv[0] === 'MULTI');
  assert.ok(multi, 'the driver sent MULTI');
  const sent: string[][] = [];
  for (const command of received) {
    if (command.connection !== multi.connection || command.index < multi.index) continue;
    sent.push(argvOf(command));
    if (command.argv[0] === 'EXEC' || command.argv[0] === 'DISCARD') break;
  }
  return sent;
}

const pipelineErrorInMiddle: UnitCase = {
  id: 'batches/pipeline-error-in-middle',
  group: 'batches',
  name: 'a pipeline whose 2nd command gets -ERR yields [value, RedisReplyError, value]: exactly 3 results, in order',
  tier: 'unit',
  async run(ctx) {
    const { server, driver } = await scenario(ctx, (command) => {
      if (command[0] !== 'GET') return undefined;
      return command[1] === 'b' ? reply.error(NOT_AN_INTEGER) : reply.bulk(command[1]!.toUpperCase());
    });
    const commands: RedisCommand[] = [
      ['GET', 'a'],
      ['GET', 'b'],
      ['GET', 'c'],
    ];
    const results = await sendBatch(driver.batch(commands, { transaction: false }), commands, 'the pipeline');
    assertOk(results[0], 'A', 'GET a');
    assert.equal(assertReplyError(results[1], 'GET b').message, NOT_AN_INTEGER);
    assertOk(results[2], 'C', 'GET c');
    assert.deepEqual(commandsNamed(server, 'GET', 'MULTI', 'EXEC'), [
      ['GET', 'a'],
      ['GET', 'b'],
      ['GET', 'c'],
    ]);
  },
};

const pipelineNormalizes: UnitCase = {
  id: 'batches/pipeline-normalizes-replies',
  group: 'batches',
  name: 'pipeline results are normalized like single replies (integers up to 2^53 - 1, null, [], UTF-8)',
  tier: 'unit',
  async run(ctx) {
    const answers: Record<string, RespValue> = {
      INCRBY: reply.int(9007199254740991),
      DECRBY: reply.int(-7),
      GET: reply.nil(),
      LRANGE: reply.array([]),
      HGET: reply.bulk('héllo'),
    };
    const { driver } = await scenario(ctx, (command) => answers[command[0]!]);
    const commands: RedisCommand[] = [
      ['INCRBY', 'big', 1],
      ['DECRBY', 'n', 7],
      ['GET', 'missing'],
      ['LRANGE', 'empty', 0, -1],
      ['HGET', 'h', 'f'],
    ];
    const results = await sendBatch(driver.batch(commands, { transaction: false }), commands, 'the pipeline');
    assertOk(results[0], 9007199254740991, 'INCRBY');
    assertOk(results[1], -7, 'DECRBY');
    assertOk(results[2], null, 'GET');
    assertOk(results[3], [], 'LRANGE');
    assertOk(results[4], 'héllo', 'HGET');
  },
};

const pipelineBigInteger: UnitCase = {
  id: 'batches/pipeline-big-integer',
  group: 'batches',
  name: 'integers beyond 2^53 in pipeline results yield exact bigints, the safe ones beside them numbers',
  tier: 'unit',
  requires: ['exactIntegers'],
  async run(ctx) {
    const answers: Record<string, RespValue> = {
      INCRBY: reply.int(9007199254740993n),
      DECRBY: reply.int(-9223372036854775808n),
      INCR: reply.int(9007199254740991),
    };
    const { driver } = await scenario(ctx, (command) => answers[command[0]!]);
    const commands: RedisCommand[] = [
      ['INCRBY', 'big', 1],
      ['DECRBY', 'low', 1],
      ['INCR', 'safe'],
    ];
    const results = await sendBatch(driver.batch(commands, { transaction: false }), commands, 'the pipeline');
    assertOk(results[0], 9007199254740993n, 'INCRBY');
    assertOk(results[1], -9223372036854775808n, 'DECRBY');
    assertOk(results[2], 9007199254740991, 'INCR');
  },
};

const pipelineBigIntegerExactOrRefused: UnitCase = {
  id: 'batches/pipeline-big-integer-exact-or-refused',
  group: 'batches',
  name: 'an integer beyond 2^53 in a pipeline is exact, or that one result is RedisSerializationError without exactIntegers; the others stay values',
  tier: 'unit',
  async run(ctx) {
    const answers: Record<string, RespValue> = {
      INCRBY: reply.int(9007199254740993n),
      GET: reply.bulk('v'),
    };
    const { driver } = await scenario(ctx, (command) => answers[command[0]!]);
    const commands: RedisCommand[] = [
      ['GET', 'a'],
      ['INCRBY', 'big', 1],
      ['GET', 'b'],
    ];
    const results = await sendBatch(driver.batch(commands, { transaction: false }), commands, 'the pipeline');
    assertOk(results[0], 'v', 'GET a');
    if (driver.capabilities.exactIntegers) {
      assertOk(results[1], 9007199254740993n, 'INCRBY');
    } else {
      const result = results[1];
      assert.ok(result, 'INCRBY: no result');
      if (result.ok) assert.fail(`INCRBY: expected RedisSerializationError, got ${describe(result.value)}`);
      assertInstance(result.error, RedisSerializationError, 'INCRBY');
    }
    assertOk(results[2], 'v', 'GET b');
  },
};

const pipelineBinary: UnitCase = {
  id: 'batches/pipeline-binary',
  group: 'batches',
  name: 'a pipeline with { binary: true } yields bulk strings as the exact bytes',
  tier: 'unit',
  requires: ['binary'],
  async run(ctx) {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    const { driver } = await scenario(ctx, (command) =>
      command[0] === 'GET' ? reply.bulk(payload) : undefined,
    );
    const commands: RedisCommand[] = [
      ['GET', 'a'],
      ['GET', 'b'],
    ];
    const results = await sendBatch(
      driver.batch(commands, { transaction: false, binary: true }),
      commands,
      'the pipeline',
    );
    assertOk(results[0], payload, 'GET a');
    assertOk(results[1], payload, 'GET b');
  },
};

const pipelineEmpty: UnitCase = {
  id: 'batches/pipeline-empty',
  group: 'batches',
  name: 'an empty pipeline yields an empty result list',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, () => undefined);
    assert.deepEqual(await sendBatch(driver.batch([], { transaction: false }), [], 'the empty pipeline'), []);
  },
};

const transactionErrorElement: UnitCase = {
  id: 'batches/transaction-exec-error-element',
  group: 'batches',
  name: 'a transaction whose EXEC array holds an error yields that one command as RedisReplyError, the others as values',
  tier: 'unit',
  requires: ['transactions'],
  async run(ctx) {
    const answers: Record<string, RespValue> = {
      SET: reply.ok(),
      INCR: reply.error(NOT_AN_INTEGER),
      INCRBY: reply.int(9007199254740991),
      GET: reply.nil(),
    };
    const { server, driver } = await scenario(
      ctx,
      transactionScript((command) => answers[command[0]!] ?? reply.error(`ERR unexpected ${command[0]}`)),
    );
    const commands: RedisCommand[] = [
      ['SET', 'tx:a', 'x'],
      ['INCR', 'tx:a'],
      ['INCRBY', 'tx:b', 9007199254740991n],
      ['GET', 'tx:missing'],
    ];
    const results = await sendBatch(
      driver.batch(commands, { transaction: true }),
      commands,
      'the transaction',
    );
    assertOk(results[0], 'OK', 'SET');
    assert.equal(assertReplyError(results[1], 'INCR').message, NOT_AN_INTEGER);
    assertOk(results[2], 9007199254740991, 'INCRBY');
    assertOk(results[3], null, 'GET');
    assert.deepEqual(transactionArgv(server), [
      ['MULTI'],
      ['SET', 'tx:a', 'x'],
      ['INCR', 'tx:a'],
      ['INCRBY', 'tx:b', '9007199254740991'],
      ['GET', 'tx:missing'],
      ['EXEC'],
    ]);
  },
};

const transactionBigInteger: UnitCase = {
  id: 'batches/transaction-big-integer',
  group: 'batches',
  name: 'integers beyond 2^53 in EXEC results yield exact bigints, the safe ones beside them numbers',
  tier: 'unit',
  requires: ['transactions', 'exactIntegers'],
  async run(ctx) {
    const answers: Record<string, RespValue> = {
      INCRBY: reply.int(9007199254740993n),
      DECRBY: reply.int(-9007199254740993n),
      INCR: reply.int(1),
    };
    const { driver } = await scenario(
      ctx,
      transactionScript((command) => answers[command[0]!] ?? reply.error(`ERR unexpected ${command[0]}`)),
    );
    const commands: RedisCommand[] = [
      ['INCRBY', 'tx:big', 1],
      ['DECRBY', 'tx:low', 1],
      ['INCR', 'tx:n'],
    ];
    const results = await sendBatch(
      driver.batch(commands, { transaction: true }),
      commands,
      'the transaction',
    );
    assertOk(results[0], 9007199254740993n, 'INCRBY');
    assertOk(results[1], -9007199254740993n, 'DECRBY');
    assertOk(results[2], 1, 'INCR');
  },
};

const transactionExecAbort: UnitCase = {
  id: 'batches/transaction-execabort',
  group: 'batches',
  name: 'a transaction refused at queue time (EXECABORT) reports every command as an error, none as ok',
  tier: 'unit',
  requires: ['transactions'],
  async run(ctx) {
    const refusal = "ERR wrong number of arguments for 'set' command";
    const { server, driver } = await scenario(
      ctx,
      transactionScript(
        () => reply.ok(),
        (command) => (command[0] === 'SET' && command.length < 3 ? reply.error(refusal) : undefined),
      ),
    );
    const commands: RedisCommand[] = [
      ['SET', 'tx:a', '1'],
      ['SET', 'tx:b'],
      ['GET', 'tx:a'],
    ];
    const results = await sendBatch(
      driver.batch(commands, { transaction: true }),
      commands,
      'the transaction',
    );
    for (const [index, result] of results.entries()) {
      const error = assertReplyError(result, `command ${index + 1} of the aborted transaction`);
      assert.ok(
        error.message === refusal || error.message.startsWith('EXECABORT'),
        `command ${index + 1}: the error names the refusal or EXECABORT, got '${error.message}'`,
      );
    }
    const sent = transactionArgv(server);
    assert.deepEqual(sent.slice(0, -1), [['MULTI'], ['SET', 'tx:a', '1'], ['SET', 'tx:b'], ['GET', 'tx:a']]);
    assert.ok(
      ['EXEC', 'DISCARD'].includes(sent.at(-1)?.[0] ?? ''),
      `the transaction ends with EXEC or DISCARD, got ${JSON.stringify(sent.at(-1))}`,
    );
  },
};

/** Pipelines and MULTI/EXEC: one result per command, each its own value or error. */
export const batchCases: readonly UnitCase[] = [
  pipelineErrorInMiddle,
  pipelineNormalizes,
  pipelineBigInteger,
  pipelineBigIntegerExactOrRefused,
  pipelineBinary,
  pipelineEmpty,
  transactionErrorElement,
  transactionBigInteger,
  transactionExecAbort,
];
