import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  type RateLimitOptions,
  RedisAuthError,
  RedisConnectionError,
  type RedisService,
  RedisUnknownMasterError,
  RedisValidationError,
} from '@redis-service/core';
import type {
  IntegrationCase,
  IntegrationContext,
  SentinelControl,
  SentinelCredentials,
} from '../../case.js';
import { closedPort } from '../../harness/free-port.js';
import { type FailoverOutcome, startSentinelGroup } from '../../harness/sentinel-group.js';
import { defineCases } from './support/define-cases.js';
import { FailoverLoad, failureKind, type LoadCall } from './support/failover-load.js';
import { MessageReader, publishUntilReceived } from './support/pubsub-reader.js';
import { rejectsWith } from './support/rejects-with.js';

const CALLERS = 64;
/** The load's command timeout: short, so a call that lost its primary gives up while the case watches. */
const LOAD_COMMAND_TIMEOUT_MS = 3000;
/** The command timeout of the checks made outside the failover window: a hang guard only. */
const CHECK_COMMAND_TIMEOUT_MS = 20_000;
/** A hang guard, not a timing assertion: a call still pending this long after its timeout has hung. */
const HANG_GUARD_MS = LOAD_COMMAND_TIMEOUT_MS + 10_000;
/** How long the service may take to recover once the sentinels have switched (a hang guard). */
const RECOVERY_GUARD_MS = 30_000;
/** Calls in a row that must succeed, all started after the switch, before the service counts as recovered. */
const RECOVERED_STRETCH = 500;
const STABLE_KEYS = 64;
/** Every algorithm, with a limit a burst of `BURST` concurrent checks overshoots. */
const EXACT_LIMITS: readonly RateLimitOptions[] = [
  { algorithm: 'sliding-window', limit: 50, windowMs: 60_000 },
  { algorithm: 'fixed-window', limit: 50, windowMs: 60_000 },
  { algorithm: 'gcra', rate: 1, periodMs: 60_000, burst: 50 },
];
const BURST = 80;

type Fault = 'SENTINEL FAILOVER' | 'kill -9 of the primary';

function sentinelOf(ctx: IntegrationContext): SentinelControl {
  const sentinel = ctx.sentinel;
  if (!sentinel) return ctx.skip('the run is not on the sentinel topology');
  return sentinel;
}

function trigger(sentinel: SentinelControl, fault: Fault): Promise<FailoverOutcome> {
  return fault === 'SENTINEL FAILOVER' ? sentinel.failover() : sentinel.killPrimary();
}

/** `BURST` concurrent checks of a fresh key per algorithm allow exactly the limit. */
async function assertRateLimitsExact(
  redis: RedisService,
  tag: string,
  when: 'before' | 'after',
): Promise<void> {
  for (const options of EXACT_LIMITS) {
    const key = `rl:${tag}:${when}:${options.algorithm}`;
    const results = await Promise.all(
      Array.from({ length: BURST }, () => redis.checkRateLimit(key, options)),
    );
    const allowed = results.filter((result) => result.allowed).length;
    assert.equal(
      allowed,
      50,
      `${options.algorithm} (${when} the failover): ${allowed} of ${BURST} allowed, limit 50`,
    );
  }
}

/**
 * Waits until `redis` writes on the new primary: a service that sat idle through the failover
 * may still be connected to the demoted node (READONLY) until its driver notices, and that is
 * still its failover window. Only typed failures are waited out; `guardMs` is a hang guard.
 */
async function untilWritable(redis: RedisService, key: string, guardMs: number): Promise<void> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    try {
      await redis.set(key, '1');
      return;
    } catch (error) {
      if (failureKind(error) === 'untyped') throw error;
      if (Date.now() > deadline) {
        throw new Error(`the checker service did not reach the new primary within ${guardMs} ms`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The values of `keys` (null when absent), read in chunks through `redis`. */
async function readAll(redis: RedisService, keys: readonly string[]): Promise<Map<string, string | null>> {
  const values = new Map<string, string | null>();
  for (let start = 0; start < keys.length; start += 500) {
    const chunk = keys.slice(start, start + 500);
    const read = await redis.mget(chunk);
    for (const [index, key] of chunk.entries()) values.set(key, read[index] ?? null);
  }
  return values;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ${count}`).join(', ') || 'none';
}

/**
 * The failover case: 64 callers write and read on one service while `fault` happens; then checks
 * that the service recovered on its own, every failure was typed and none hung, no write that
 * failed as "not run" was applied, none was applied twice, reads never saw a wrong value, and rate
 * limits were exact before and after. Notes the recovery time and the counts.
 */
async function failoverUnderLoad(ctx: IntegrationContext, fault: Fault): Promise<void> {
  const sentinel = sentinelOf(ctx);
  const redis = await ctx.createService({ commandTimeoutMs: LOAD_COMMAND_TIMEOUT_MS });
  // The bursts that check rate limits run outside the failover window, on a service of their own
  // that lives through the failover idle: 80 scripts at once may take longer than the load's short
  // timeout on a busy machine, and a timed-out check is no evidence about exactness.
  const checker = await ctx.createService({ commandTimeoutMs: CHECK_COMMAND_TIMEOUT_MS });
  // Keys of this run's own, so the case can run again under the same prefix (a soak test does).
  const tag = randomBytes(4).toString('hex');
  const stable = new Map<string, string>();
  for (let index = 0; index < STABLE_KEYS; index++) stable.set(`stable:${index}`, `value ${index}`);
  await ctx.redis.mset([...stable]);
  assert.equal(await ctx.redis.wait(1, 5000), 1, 'the stable keys reached the replica before the fault');
  await assertRateLimitsExact(checker, tag, 'before');

  const load = new FailoverLoad(redis, {
    callers: CALLERS,
    stable,
    hangGuardMs: HANG_GUARD_MS,
    writePrefix: `w:${tag}:`,
  });
  load.start();
  let outcome: FailoverOutcome;
  let faultAt: number;
  let switchedAt: number;
  try {
    await load.recovered(0, RECOVERED_STRETCH, RECOVERY_GUARD_MS);
    faultAt = load.now();
    outcome = await trigger(sentinel, fault);
    switchedAt = load.now();
    await load.recovered(switchedAt, RECOVERED_STRETCH, RECOVERY_GUARD_MS);
  } finally {
    await load.stop();
  }
  // The checker's own failover window ends when it writes on the new primary.
  await untilWritable(checker, `probe:${tag}`, RECOVERY_GUARD_MS);
  await assertRateLimitsExact(checker, tag, 'after');

  const failed = load.calls.filter((call) => call.error !== undefined);
  const untyped = failed.filter((call) => failureKind(call.error) === 'untyped');
  assert.deepEqual(
    untyped.slice(0, 5).map((call) => String(call.error)),
    [],
    `${untyped.length} calls failed with an untyped error`,
  );
  assert.deepEqual(load.hung, [], `${load.hung.length} calls hung past ${HANG_GUARD_MS} ms`);
  const wrong = load.calls.filter((call) => call.wrongValue);
  assert.deepEqual(
    wrong.slice(0, 5).map((call) => `${call.kind} ${call.key}`),
    [],
    `${wrong.length} calls saw a wrong value (a write applied twice, or a read of another key)`,
  );

  const writes = load.calls.filter((call) => call.kind === 'write');
  const values = await readAll(
    ctx.redis,
    writes.map((call) => call.key),
  );
  const applied = (call: LoadCall) => values.get(call.key) !== null;
  const twice = writes.filter((call) => values.get(call.key) !== null && values.get(call.key) !== '1');
  assert.deepEqual(
    twice.slice(0, 5).map((call) => `${call.key}=${values.get(call.key)}`),
    [],
    'a write ran twice',
  );
  const notRun = writes.filter((call) => call.error !== undefined && failureKind(call.error) === 'not-run');
  const appliedNotRun = notRun.filter(applied);
  assert.deepEqual(
    appliedNotRun.slice(0, 5).map((call) => `${call.key}: ${String(call.error)}`),
    [],
    `${appliedNotRun.length} writes failed as never sent, yet were applied`,
  );
  const mayHaveRun = writes.filter(
    (call) => call.error !== undefined && failureKind(call.error) === 'may-have-run',
  );
  const acknowledged = writes.filter((call) => call.error === undefined);
  const lost = acknowledged.filter((call) => !applied(call));
  // Recovered once every call the fault disturbed has settled: the failed ones, and those still
  // waiting when the sentinels switched (a driver may hold calls until it has the new primary).
  const disturbed = load.calls.filter(
    (call) => call.endedMs >= faultAt && (call.error !== undefined || call.startedMs < switchedAt),
  );
  const recoveredAt = disturbed.reduce((latest, call) => Math.max(latest, call.endedMs), faultAt);
  const slowest = disturbed.reduce((longest, call) => Math.max(longest, call.endedMs - call.startedMs), 0);
  ctx.note(
    [
      `${fault}: the sentinels switched in ${Math.round(outcome.switchMs)} ms;`,
      `the service recovered ${Math.round(recoveredAt - faultAt)} ms after the fault (the calls it disturbed had settled; the slowest took ${Math.round(slowest)} ms);`,
      `${load.calls.length - failed.length} calls ok, ${failed.length} failed (${countBy(failed, (call) => (call.error as Error).name)}), 0 hung;`,
      `writes failed as not run: ${notRun.length}, all absent; may have run: ${mayHaveRun.length} (${mayHaveRun.filter(applied).length} applied);`,
      `acknowledged writes lost in the failover: ${lost.length} of ${acknowledged.length}`,
    ].join(' '),
  );
}

/** Subscriptions made before `fault` receive messages published on the new primary after it. */
async function subscriberFollows(ctx: IntegrationContext, fault: Fault): Promise<void> {
  const sentinel = sentinelOf(ctx);
  const channel = `${ctx.prefix}news`;
  const subscription = await ctx.redis.subscribe(channel);
  const patterned = await ctx.redis.psubscribe(`${ctx.prefix}feed:*`);
  ctx.defer(() => subscription.unsubscribe());
  ctx.defer(() => patterned.unsubscribe());
  const news = new MessageReader(subscription);
  const feed = new MessageReader(patterned);
  await publishUntilReceived(() => ctx.redis.publish(channel, 'before'), news, 10_000);
  await publishUntilReceived(() => ctx.redis.publish(`${ctx.prefix}feed:a`, 'before'), feed, 10_000);
  const outcome = await trigger(sentinel, fault);
  const started = performance.now();
  const onChannel = await publishUntilReceived(
    () => ctx.redis.publish(channel, 'after'),
    news,
    RECOVERY_GUARD_MS,
  );
  const onPattern = await publishUntilReceived(
    () => ctx.redis.publish(`${ctx.prefix}feed:b`, 'after'),
    feed,
    RECOVERY_GUARD_MS,
  );
  assert.equal(onChannel.message, 'after', 'the channel subscription gets messages on the new primary');
  assert.equal(onPattern.message, 'after', 'the pattern subscription gets messages on the new primary');
  assert.equal(onPattern.channel, `${ctx.prefix}feed:b`);
  ctx.note(
    `${fault}: the sentinels switched in ${Math.round(outcome.switchMs)} ms; subscriptions received again ${Math.round(performance.now() - started)} ms later`,
  );
}

/**
 * On a group of its own whose data nodes and sentinels have an ACL user: its credentials work
 * before and after a failover; a wrong password for the data nodes or for the sentinels is a
 * typed error that names no password. A driver that drops the data nodes' or the sentinels'
 * credentials fails here: the wrong password would not be refused.
 */
async function aclCredentials(ctx: IntegrationContext): Promise<void> {
  sentinelOf(ctx);
  const user = { username: 'kit-app', password: `kit-${randomBytes(8).toString('hex')}` };
  const group = await startSentinelGroup({ aclUser: user });
  ctx.defer(() => group.stop());
  const right: SentinelCredentials = {
    username: user.username,
    password: user.password,
    sentinelUsername: user.username,
    sentinelPassword: user.password,
  };
  const serviceWith = (credentials: SentinelCredentials | undefined) =>
    ctx.createService({
      sentinel: {
        sentinels: group.sentinels,
        masterName: group.masterName,
        ...(credentials ? { credentials } : {}),
      },
      commandTimeoutMs: CHECK_COMMAND_TIMEOUT_MS,
    });
  const redis = await serviceWith(right);
  assert.equal(await redis.set('before', '1'), true, 'SET with the right credentials');
  assert.equal(await redis.get('before'), '1', 'GET with the right credentials');
  const outcome = await group.failover();
  // The service finds the new primary by itself, with the same credentials (a recovery guard).
  const deadline = performance.now() + RECOVERY_GUARD_MS;
  let after: string | null = null;
  while (after !== '2' && performance.now() < deadline) {
    after = await redis.set('after', '2').then(
      () => redis.get('after'),
      () => null,
    );
    if (after !== '2') await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(after, '2', `SET then GET on the new primary (${outcome.from} -> ${outcome.to})`);
  assert.equal(await redis.get('before'), '1', 'the write before the failover is on the new primary');

  const secrets = /kit-wrong-|kit-[0-9a-f]{16}/;
  const noSecret = (error: Error, what: string) =>
    assert.doesNotMatch(
      `${String(error)} ${JSON.stringify(error)}`,
      secrets,
      `${what}: no password in the error`,
    );
  const wrongData = await serviceWith({ ...right, password: 'kit-wrong-data-password' });
  noSecret(await rejectsWith(wrongData.get('k'), RedisAuthError, 'a wrong data-node password'), 'data node');
  const wrongSentinel = await serviceWith({ ...right, sentinelPassword: 'kit-wrong-sentinel-password' });
  // No sentinel answers: a refused login, or no sentinel left to name a primary.
  noSecret(
    await rejectsWith(wrongSentinel.get('k'), RedisConnectionError, 'a wrong sentinel password'),
    'sentinels',
  );
}

/** Cases that only the sentinel topology can run: failovers, sentinels that fail, WAIT. */
export const failoverCases: IntegrationCase[] = defineCases('failover', [
  {
    slug: 'sentinel-failover-under-load',
    name: 'SENTINEL FAILOVER while 64 callers write and read: the service recovers by itself, every failure is typed, none hangs, no write reported as not run is applied, none runs twice, rate limits stay exact',
    topologies: ['sentinel'],
    requires: ['scripting'],
    timeoutMs: 180_000,
    run: (ctx) => failoverUnderLoad(ctx, 'SENTINEL FAILOVER'),
  },
  {
    slug: 'primary-killed-under-load',
    name: 'kill -9 of the primary while 64 callers write and read: the service recovers by itself, every failure is typed, none hangs, no write reported as not run is applied, none runs twice, rate limits stay exact',
    topologies: ['sentinel'],
    requires: ['scripting'],
    timeoutMs: 180_000,
    run: (ctx) => failoverUnderLoad(ctx, 'kill -9 of the primary'),
  },
  {
    slug: 'subscriber-follows-sentinel-failover',
    name: 'channel and pattern subscriptions receive messages from the new primary after SENTINEL FAILOVER',
    topologies: ['sentinel'],
    requires: ['pubsub'],
    timeoutMs: 90_000,
    run: (ctx) => subscriberFollows(ctx, 'SENTINEL FAILOVER'),
  },
  {
    slug: 'subscriber-follows-killed-primary',
    name: 'channel and pattern subscriptions receive messages from the new primary after kill -9 of the old one',
    topologies: ['sentinel'],
    requires: ['pubsub'],
    timeoutMs: 90_000,
    run: (ctx) => subscriberFollows(ctx, 'kill -9 of the primary'),
  },
  {
    slug: 'unreachable-sentinels-fail-fast',
    name: 'with every sentinel unreachable a command rejects with RedisConnectionError, not by its timeout, and the next one too',
    topologies: ['sentinel'],
    async run(ctx) {
      const sentinel = sentinelOf(ctx);
      const sentinels = await Promise.all(
        sentinel.sentinels.map(async () => ({ host: '127.0.0.1', port: await closedPort() })),
      );
      const redis = await ctx.createService({
        sentinel: { sentinels, masterName: sentinel.masterName },
        commandTimeoutMs: 20_000,
      });
      const started = performance.now();
      // A RedisTimeoutError would mean the driver waited for the sentinels instead of failing.
      await rejectsWith(redis.get('k'), RedisConnectionError, 'get with every sentinel down');
      await rejectsWith(
        redis.set('k', 'v'),
        RedisConnectionError,
        'a second command with every sentinel down',
      );
      ctx.note(
        `two commands failed in ${Math.round(performance.now() - started)} ms with every sentinel down`,
      );
    },
  },
  {
    slug: 'sentinel-acl-credentials',
    name: 'with ACL users on the data nodes and the sentinels, the right credentials work before and after SENTINEL FAILOVER; a wrong data-node password is RedisAuthError, a wrong sentinel password a RedisConnectionError, neither naming a password',
    topologies: ['sentinel'],
    timeoutMs: 180_000,
    run: aclCredentials,
  },
  {
    slug: 'unknown-master-name-is-typed',
    name: 'a master name no sentinel monitors rejects with RedisUnknownMasterError naming it (a RedisConnectionError)',
    topologies: ['sentinel'],
    async run(ctx) {
      const sentinel = sentinelOf(ctx);
      const redis = await ctx.createService({
        sentinel: { sentinels: sentinel.sentinels, masterName: 'no-such-primary' },
        commandTimeoutMs: 20_000,
      });
      const error = await rejectsWith(
        redis.get('k'),
        RedisUnknownMasterError,
        'get with an unknown master name',
      );
      assert.equal(error.masterName, 'no-such-primary');
      assert.ok(error instanceof RedisConnectionError);
      await rejectsWith(redis.get('k'), RedisUnknownMasterError, 'a second command');
    },
  },
  {
    slug: 'wait-counts-the-replica',
    name: 'wait(1, timeoutMs) after a write resolves with 1 (the replica has it); bad arguments are refused before sending',
    topologies: ['sentinel'],
    async run(ctx) {
      await ctx.redis.set('k', 'v');
      assert.equal(await ctx.redis.wait(1, 5000), 1);
      await rejectsWith(ctx.redis.wait(0, 100), RedisValidationError, 'wait for 0 replicas');
      await rejectsWith(ctx.redis.wait(1, 0), RedisValidationError, 'wait forever');
      await rejectsWith(ctx.redis.wait(1, 60_000), RedisValidationError, 'wait beyond the command timeout');
    },
  },
]);
