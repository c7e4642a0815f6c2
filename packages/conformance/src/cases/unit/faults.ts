import assert from 'node:assert/strict';
import {
  type BatchItemResult,
  RedisConnectionError,
  type RedisDriver,
  RedisTimeoutError,
} from '@redis-service/core';
import type { UnitCase, UnitContext } from '../../case.js';
import { closedPortUrl } from '../../fake/closed-port.js';
import { reply } from '../../fake/resp-value.js';
import { DROP, HANG } from '../../fake/script.js';
import {
  assertInstance,
  commandsNamed,
  describe,
  describeError,
  type ErrorClass,
  PROMPT_FAILURE_MS,
  rejectsWithin,
  scenario,
  settleWithin,
  UNIT_COMMAND_TIMEOUT_MS,
} from './unit-support.js';

/** The command timeout the timeout cases give the driver. */
const SHORT_TIMEOUT_MS = 300;
/** The bound on refusing a closed port here; the integration tier holds drivers to a strict 1 s. */
const CLOSED_PORT_BOUND_MS = 3_000;

const dropMidReply: UnitCase = {
  id: 'faults/drop-mid-reply',
  group: 'faults',
  name: 'a connection dropped in the middle of a reply rejects with RedisConnectionError, not a hang or a reply error',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) =>
      command[0] === 'GET' ? { dropAfter: '$10\r\nhel' } : undefined,
    );
    await rejectsWithin(driver.send(['GET', 'k']), RedisConnectionError, PROMPT_FAILURE_MS, 'GET k');
  },
};

const dropBeforeReply: UnitCase = {
  id: 'faults/drop-before-reply',
  group: 'faults',
  name: 'a connection closed before any reply rejects with RedisConnectionError',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) => (command[0] === 'GET' ? DROP : undefined));
    await rejectsWithin(driver.send(['GET', 'k']), RedisConnectionError, PROMPT_FAILURE_MS, 'GET k');
  },
};

const noResendAfterDrop: UnitCase = {
  id: 'faults/no-resend-after-drop',
  group: 'faults',
  name: 'a command whose connection drops is reported as failed, never silently sent again (INCR must not run twice)',
  tier: 'unit',
  async run(ctx) {
    let answered = false;
    const { server, driver } = await scenario(ctx, (command) => {
      if (command[0] !== 'INCR') return undefined;
      if (answered) return reply.int(2);
      answered = true;
      return DROP;
    });
    await rejectsWithin(
      driver.send(['INCR', 'counter']),
      RedisConnectionError,
      PROMPT_FAILURE_MS,
      'INCR counter',
    );
    assert.equal(commandsNamed(server, 'INCR').length, 1, 'INCR was sent exactly once');
  },
};

const recoversAfterDrop: UnitCase = {
  id: 'faults/recovers-after-drop',
  group: 'faults',
  name: 'after a dropped connection, the driver reconnects by itself and later commands succeed',
  tier: 'unit',
  async run(ctx) {
    // The connection the first GET arrives on is dropped (not "connection 0": a cluster driver
    // opens another one first, to read the topology).
    let dropOn: number | undefined;
    const { server, driver } = await scenario(ctx, (command, { connection }) => {
      if (command[0] !== 'GET') return undefined;
      dropOn ??= connection;
      return connection === dropOn ? DROP : reply.bulk('back');
    });
    await rejectsWithin(driver.send(['GET', 'k']), RedisConnectionError, PROMPT_FAILURE_MS, 'GET k');
    // A fail-fast driver may refuse commands while it reconnects; it has to get there on its own.
    const deadline = Date.now() + PROMPT_FAILURE_MS;
    let lastError: unknown;
    for (;;) {
      const outcome = await settleWithin(
        driver.send(['GET', 'k']),
        PROMPT_FAILURE_MS,
        'GET k after the drop',
      );
      if (outcome.ok) {
        assert.equal(outcome.value, 'back');
        break;
      }
      lastError = outcome.error;
      assertInstance(lastError, RedisConnectionError, 'GET k while the driver reconnects');
      if (Date.now() > deadline) {
        assert.fail(`the driver did not recover within ${PROMPT_FAILURE_MS} ms: ${describeError(lastError)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(server.connections >= 2, 'the driver opened a new connection');
  },
};

const commandTimeout: UnitCase = {
  id: 'faults/command-timeout',
  group: 'faults',
  name: "a server that never answers a command rejects it with RedisTimeoutError after the driver's commandTimeoutMs",
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(
      ctx,
      (command) => (command[0] === 'GET' ? HANG : undefined),
      SHORT_TIMEOUT_MS,
    );
    const error = await rejectsWithin(
      driver.send(['GET', 'k']),
      RedisTimeoutError,
      PROMPT_FAILURE_MS,
      'GET k',
    );
    assert.equal(error.timeoutMs, SHORT_TIMEOUT_MS, 'the error reports the timeout that elapsed');
  },
};

const silentServer: UnitCase = {
  id: 'faults/silent-server',
  group: 'faults',
  name: 'a server that accepts the connection but never says anything fails the command promptly (timeout or connection error)',
  tier: 'unit',
  async run(ctx) {
    const server = await ctx.fakeServer(() => HANG);
    const attempt = sendThroughNewDriver(ctx, server.url, SHORT_TIMEOUT_MS);
    const outcome = await settleWithin(attempt, PROMPT_FAILURE_MS, 'GET k on a silent server');
    if (outcome.ok) assert.fail(`GET k on a silent server resolved with ${describe(outcome.value)}`);
    assertOneOf(outcome.error, [RedisTimeoutError, RedisConnectionError], 'GET k on a silent server');
  },
};

const closedPort: UnitCase = {
  id: 'faults/closed-port',
  group: 'faults',
  name: 'a port nobody listens on fails with RedisConnectionError promptly instead of retrying for long',
  tier: 'unit',
  async run(ctx) {
    const attempt = sendThroughNewDriver(
      ctx,
      await closedPortUrl(ctx.adapter.transport),
      UNIT_COMMAND_TIMEOUT_MS,
    );
    await rejectsWithin(attempt, RedisConnectionError, CLOSED_PORT_BOUND_MS, 'connecting to a closed port');
  },
};

const malformedReply: UnitCase = {
  id: 'faults/malformed-reply',
  group: 'faults',
  name: 'bytes that are not RESP reject the command with RedisConnectionError (the stream cannot be trusted), not a hang',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) =>
      command[0] === 'GET' ? { raw: '?garbage\r\n' } : undefined,
    );
    await rejectsWithin(driver.send(['GET', 'k']), RedisConnectionError, PROMPT_FAILURE_MS, 'GET k');
  },
};

const pipelineDrop: UnitCase = {
  id: 'faults/pipeline-drop-mid-reply',
  group: 'faults',
  name: 'a pipeline whose connection drops mid-reply fails with RedisConnectionError and reports no value for the lost replies',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) => {
      if (command[0] !== 'GET') return undefined;
      return command[1] === 'a' ? reply.bulk('A') : { dropAfter: '$5\r\nhe' };
    });
    const outcome = await settleWithin(
      driver.batch(
        [
          ['GET', 'a'],
          ['GET', 'b'],
          ['GET', 'c'],
        ],
        { transaction: false },
      ),
      PROMPT_FAILURE_MS,
      'the pipeline',
    );
    // Rejecting as a whole (the replies could not be read) and failing the lost items one by one
    // are both faithful; reporting a value for a reply that never arrived is not.
    if (!outcome.ok) {
      assertInstance(outcome.error, RedisConnectionError, 'the pipeline');
      return;
    }
    const results: BatchItemResult[] = outcome.value;
    assert.equal(results.length, 3, 'one result per command');
    const [first] = results;
    if (first?.ok) assert.equal(first.value, 'A', 'GET a, answered before the drop');
    for (const [index, result] of results.slice(1).entries()) {
      if (result.ok)
        assert.fail(`GET ${'bc'[index]} reported ${describe(result.value)} though its reply was lost`);
      assertInstance(result.error, RedisConnectionError, `GET ${'bc'[index]}`);
    }
  },
};

/** Creates a driver for `url` and sends one GET; a driver may fail in either step. */
async function sendThroughNewDriver(
  ctx: UnitContext,
  url: string,
  commandTimeoutMs: number,
): Promise<unknown> {
  const driver: RedisDriver = await ctx.createDriver({ url, commandTimeoutMs });
  return driver.send(['GET', 'k']);
}

function assertOneOf(error: unknown, classes: readonly ErrorClass<Error>[], what: string): void {
  if (classes.some((expected) => error instanceof expected)) return;
  assert.fail(
    `${what}: expected ${classes.map((expected) => expected.name).join(' or ')}, got ${describeError(error)}`,
  );
}

/** Lost connections, servers that never answer, closed ports and garbage on the wire. */
export const faultCases: readonly UnitCase[] = [
  dropMidReply,
  dropBeforeReply,
  noResendAfterDrop,
  recoversAfterDrop,
  commandTimeout,
  silentServer,
  closedPort,
  malformedReply,
  pipelineDrop,
];
