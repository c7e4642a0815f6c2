import assert from 'node:assert/strict';
import {
  RedisAuthError,
  RedisConnectionError,
  RedisReplyError,
  RedisUnavailableError,
} from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { reply } from '../../fake/resp-value.js';
import { assertInstance, describeError, PROMPT_FAILURE_MS, rejectsWithin, scenario } from './unit-support.js';

/** What the server says, as Redis 7 words it, and the class every driver must turn it into. */
const SERVER_STATES: readonly {
  readonly message: string;
  readonly expected: 'unavailable' | 'reply' | 'auth';
}[] = [
  { message: 'LOADING Redis is loading the dataset in memory', expected: 'unavailable' },
  {
    message: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
    expected: 'unavailable',
  },
  { message: "READONLY You can't write against a read only replica.", expected: 'unavailable' },
  {
    message: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
    expected: 'unavailable',
  },
  { message: 'CLUSTERDOWN The cluster is down', expected: 'unavailable' },
  { message: 'TRYAGAIN Multiple keys request during rehashing of slot', expected: 'unavailable' },
  { message: 'NOREPLICAS Not enough good replicas to write.', expected: 'unavailable' },
  {
    message:
      "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
    expected: 'unavailable',
  },
  { message: "OOM command not allowed when used memory > 'maxmemory'.", expected: 'reply' },
  { message: 'BUSYKEY Target key name already exists.', expected: 'reply' },
  { message: 'BUSYGROUP Consumer Group name already exists', expected: 'reply' },
  { message: "NOPERM User default has no permissions to run the 'get' command", expected: 'reply' },
  { message: 'EXECABORT Transaction discarded because of previous errors.', expected: 'reply' },
  { message: 'NOAUTH Authentication required.', expected: 'auth' },
  { message: 'WRONGPASS invalid username-password pair or user is disabled.', expected: 'auth' },
];

function prefixOf(message: string): string {
  return message.slice(0, message.indexOf(' '));
}

/** Asserts `error` has the class the table gives `message`. */
function assertClassified(error: unknown, message: string, expected: string, what: string): void {
  const prefix = prefixOf(message);
  if (expected === 'auth') {
    assertInstance(error, RedisAuthError, what);
    assert.ok(error instanceof RedisConnectionError, `${what}: a RedisAuthError is a RedisConnectionError`);
    return;
  }
  assertInstance(error, RedisReplyError, what);
  assert.equal(error.prefix, prefix, `${what}: prefix`);
  assert.equal(error.message, message, `${what}: the server's message verbatim`);
  if (expected === 'unavailable') assertInstance(error, RedisUnavailableError, what);
  else
    assert.ok(
      !(error instanceof RedisUnavailableError),
      `${what}: ${prefix} is not "unavailable", got ${describeError(error)}`,
    );
}

const serverStates: UnitCase = {
  id: 'errors/server-states-are-classified',
  group: 'errors',
  name: 'LOADING, BUSY, READONLY, MASTERDOWN, CLUSTERDOWN, TRYAGAIN are RedisUnavailableError; OOM and other errors RedisReplyError; NOAUTH, WRONGPASS RedisAuthError: alone and in a pipeline',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) => {
      if (command[0] !== 'GET') return undefined;
      const state = SERVER_STATES.find(({ message }) => prefixOf(message) === command[1]);
      return state ? reply.error(state.message) : reply.bulk('fine');
    });
    for (const { message, expected } of SERVER_STATES) {
      const prefix = prefixOf(message);
      const what = `GET answered -${prefix}`;
      const error = await rejectsWithin(driver.send(['GET', prefix]), Error, PROMPT_FAILURE_MS, what);
      assertClassified(error, message, expected, what);
    }
    const inBatch = SERVER_STATES.filter(({ expected }) => expected !== 'auth');
    const results = await driver.batch(
      [...inBatch.map(({ message }): [string, string] => ['GET', prefixOf(message)]), ['GET', 'other']],
      { transaction: false },
    );
    assert.equal(results.length, inBatch.length + 1, 'one result per command');
    inBatch.forEach(({ message, expected }, i) => {
      const result = results[i]!;
      const what = `pipeline command ${i} answered -${prefixOf(message)}`;
      assert.ok(!result.ok, `${what}: expected an error, got a value`);
      assertClassified(result.error, message, expected, what);
    });
    assert.deepEqual(results.at(-1), { ok: true, value: 'fine' }, 'the last command keeps its own reply');
  },
};

/** The failure -> class table for server states, which a real server cannot be put into on demand. */
export const serverStateCases: readonly UnitCase[] = [serverStates];
