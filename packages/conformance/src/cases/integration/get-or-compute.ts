import assert from 'node:assert/strict';
import {
  CacheComputeError,
  CacheWaitTimeoutError,
  cacheKeys,
  RedisError,
  type RedisService,
  RedisValidationError,
} from '@redis-service/core';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { startCaseWorkers } from '../../workers/case-workers.js';
import type { GatedComputeJobParams, GatedComputeJobResult } from '../../workers/jobs/gated-compute.js';
import type { GetOrComputeJobParams, GetOrComputeJobResult } from '../../workers/jobs/get-or-compute.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { MessageReader } from './support/pubsub-reader.js';
import { rejectsWith } from './support/rejects-with.js';
import { ada, userSchema } from './support/user-schema.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lease key of `key` as stored, read through `redis` (relative to its key prefix). */
function leaseHolder(redis: RedisService, key: string): Promise<string | null> {
  return redis.get(cacheKeys(redis.keyPrefix, key).lock);
}

/**
 * The longest a failure notice may live without `negativeTtlMs`: the waiters' longest pause
 * between two looks (1 s) plus the grace core allows a busy machine (1 s).
 */
const FAILURE_NOTICE_BOUND_MS = 2000;

/** How long the case waits for an event of another process: a hang guard, not a margin. */
const EVENT_GUARD_MS = 60_000;

/**
 * The fencing timeline across three worker processes. A takes the lease with a 1 s lockTtlMs and
 * computes until the case opens its gate; the case waits (on Redis's clock, not a sleep) until
 * A's lease has lapsed; B then takes the lease and stores 'from B'; only then is A released to
 * finish late (`late`: return a value or fail). B's value must survive, A's caller must still get
 * its own outcome, nothing of A's may be announced, and C must read B's value without computing.
 */
async function lateOwnerTimeline(
  ctx: IntegrationContext,
  late: { readonly returns: string } | { readonly failWith: string; readonly negativeTtlMs: number },
): Promise<void> {
  const pool = await startCaseWorkers(ctx, 3);
  const key = 'fenced';
  const keys = cacheKeys(ctx.redis.keyPrefix, key);
  const job = (worker: number, params: Omit<GatedComputeJobParams, 'key' | 'ttlMs'>) =>
    pool.run<GatedComputeJobResult>(worker, 'get-or-compute/gated', { key, ttlMs: 60_000, ...params });
  const a = job(0, { lockTtlMs: 1000, startedKey: 'a:started', gateKey: 'a:gate', ...late });
  a.catch(() => {});
  await eventually(async () => (await ctx.redis.get('a:started')) !== null, 'A computes', {
    timeoutMs: EVENT_GUARD_MS,
  });
  await eventually(async () => (await leaseHolder(ctx.redis, key)) === null, "A's lease lapses", {
    timeoutMs: EVENT_GUARD_MS,
  });
  const b = await job(1, { lockTtlMs: 30_000, startedKey: 'b:started', returns: 'from B' });
  assert.deepEqual(
    b,
    { computed: true, outcome: { status: 'fulfilled', value: 'from B' } },
    'B took the lapsed lease and stored its value',
  );
  const notices = await watchNotices(ctx, keys.channel);
  await ctx.redis.set('a:gate', 'open');
  const lateA = await a;
  assert.equal(lateA.computed, true, 'A computed');
  if ('returns' in late) {
    assert.deepEqual(
      lateA.outcome,
      { status: 'fulfilled', value: late.returns },
      "A's caller gets A's value",
    );
  } else {
    assert.equal(lateA.outcome.status, 'rejected', "A's caller gets A's error");
    assert.equal(lateA.outcome.status === 'rejected' && lateA.outcome.message, late.failWith);
  }
  await notices?.assertNothingSince('A finished after losing its lease');
  const stored = await ctx.redis.peekCached(key);
  assert.deepEqual(
    stored?.kind === 'value' ? stored.value : stored,
    'from B',
    "B's value survives A's late finish",
  );
  assert.equal(await ctx.redis.exists(keys.error), 0, 'A left no failure notice');
  const c = await job(2, { lockTtlMs: 30_000, startedKey: 'c:started', returns: 'from C' });
  assert.deepEqual(
    c,
    { computed: false, outcome: { status: 'fulfilled', value: 'from B' } },
    "C gets B's value without computing",
  );
}

/**
 * With pub/sub: a subscription to a notice channel, to check that nothing was published on it
 * since. A sentinel published afterwards must be the first message: the server delivers one
 * connection's messages in publish order, so no sleep is needed to be sure nothing came first.
 */
async function watchNotices(
  ctx: IntegrationContext,
  channel: string,
): Promise<{ assertNothingSince(what: string): Promise<void> } | undefined> {
  if (!ctx.redis.capabilities.pubsub) return undefined;
  const subscription = await ctx.redis.subscribe(channel);
  ctx.defer(() => subscription.unsubscribe());
  const reader = new MessageReader(subscription);
  return {
    async assertNothingSince(what) {
      await ctx.redis.publish(channel, 'sentinel');
      const first = await reader.next(EVENT_GUARD_MS);
      assert.ok(first !== 'done' && first !== 'timeout', `${what}: the sentinel arrived (${String(first)})`);
      assert.equal(first.message, 'sentinel', `${what}: nothing was announced before the sentinel`);
    },
  };
}

/** Cases on `getOrCompute`: one compute across processes, lease safety, errors, schemas, SWR. */
export const getOrComputeCases: IntegrationCase[] = defineCases('get-or-compute', [
  {
    slug: 'stampede-across-processes',
    name: '4 worker processes x 250 concurrent getOrCompute calls on a cold key run the compute exactly once, and every caller gets its value',
    requires: ['scripting'],
    timeoutMs: 90_000,
    async run(ctx) {
      const pool = await startCaseWorkers(ctx, 4);
      const params: GetOrComputeJobParams = {
        key: 'stampede',
        counterKey: 'stampede:computes',
        calls: 250,
        computeMs: 300,
        ttlMs: 60_000,
        lockTtlMs: 20_000,
        waitTimeoutMs: 20_000,
      };
      const results = await pool.runAll<GetOrComputeJobResult>('get-or-compute/stampede', params);
      assert.equal(await ctx.redis.get('stampede:computes'), '1', 'the compute ran exactly once');
      const values = new Set(results.flatMap((result) => result.values));
      for (const [worker, result] of results.entries()) {
        assert.deepEqual(result.errors, [], `worker ${worker}: no caller failed`);
        assert.equal(result.fulfilled, 250, `worker ${worker}: every caller got a value`);
      }
      assert.equal(values.size, 1, `every caller got the same value: ${[...values].join(', ')}`);
    },
  },
  {
    slug: 'compute-error-across-processes',
    name: 'a compute that throws rejects every caller in 4 worker processes with its error, and the next call computes again',
    requires: ['scripting'],
    timeoutMs: 90_000,
    async run(ctx) {
      const pool = await startCaseWorkers(ctx, 4);
      const params: GetOrComputeJobParams = {
        key: 'failing',
        counterKey: 'failing:computes',
        calls: 50,
        computeMs: 300,
        ttlMs: 60_000,
        lockTtlMs: 20_000,
        waitTimeoutMs: 20_000,
        failWith: 'compute failed',
        // The compute fails only once every worker's callers wait for it: a worker that started
        // after the failure would rightly compute again (errors are not cached).
        readyKey: 'failing:ready',
      };
      const results = await pool.runAll<GetOrComputeJobResult>('get-or-compute/stampede', params);
      assert.equal(await ctx.redis.get('failing:computes'), '1', 'the failing compute ran once');
      for (const [worker, result] of results.entries()) {
        assert.equal(result.fulfilled, 0, `worker ${worker}: no caller got a value`);
        assert.deepEqual(result.errors, ['compute failed'], `worker ${worker}: every caller got the error`);
      }
      const again = await pool.run<GetOrComputeJobResult>(0, 'get-or-compute/stampede', {
        ...params,
        failWith: undefined,
        readyKey: undefined,
      });
      assert.equal(again?.fulfilled, 50, 'the next call computes again');
      assert.equal(await ctx.redis.get('failing:computes'), '2');
    },
  },
  {
    slug: 'lease-safety',
    name: "a compute slower than its lease does not delete the next owner's lease",
    requires: ['scripting'],
    timeoutMs: 4 * EVENT_GUARD_MS,
    async run(ctx) {
      const first = ctx.redis;
      const second = await ctx.createService();
      // Both connected before the race starts: a driver that connects lazily must not lose it.
      await Promise.all([first.exists('lease'), second.exists('lease')]);
      // Each compute signals when it starts (its caller holds the lease then) and runs until the
      // case opens its gate, so "slower than its lease" is certain and no step races the lease's
      // clock: nothing has to be seen before the first lease lapses, however busy the machine.
      const options = { ttlMs: 60_000, lockTtlMs: 2000, waitTimeoutMs: 5000 };
      // The next owner's lease outlives the first compute, so it is still there when the first one ends.
      const nextOptions = { ...options, lockTtlMs: 60_000 };
      const gated = (who: string) => {
        let open!: () => void;
        let start!: () => void;
        const opened = new Promise<void>((resolve) => {
          open = resolve;
        });
        const started = new Promise<void>((resolve) => {
          start = resolve;
        });
        return {
          open,
          started,
          compute: async () => {
            start();
            await opened;
            return who;
          },
        };
      };
      /** Resolves once `compute` started; rejects if `call` settled first (it never computed). */
      const computing = (compute: { started: Promise<void> }, call: Promise<string>, who: string) =>
        Promise.race([
          compute.started,
          call.then(
            (value) => Promise.reject(new Error(`${who} call returned ${value} without computing`)),
            (error: unknown) =>
              Promise.reject(new Error(`${who} call failed before computing: ${String(error)}`)),
          ),
        ]);
      const firstCompute = gated('first');
      const secondCompute = gated('second');
      const firstCall = first.getOrCompute('lease', firstCompute.compute, options);
      // Should the case fail before awaiting it, its rejection at teardown is not an unhandled one.
      firstCall.catch(() => {});
      await computing(firstCompute, firstCall, 'the first');
      // The first lease lapses while the first compute still runs (nobody else may take it meanwhile).
      await eventually(async () => (await leaseHolder(first, 'lease')) === null, 'the first lease lapses', {
        timeoutMs: EVENT_GUARD_MS,
      });
      const secondCall = second.getOrCompute('lease', secondCompute.compute, nextOptions);
      secondCall.catch(() => {});
      await computing(secondCompute, secondCall, 'the second');
      // The second caller computes, so it holds the lapsed lease now, for 60 s.
      const secondToken = await leaseHolder(first, 'lease');
      assert.ok(secondToken !== null, 'the second caller holds the lease while it computes');
      firstCompute.open();
      assert.equal(await firstCall, 'first');
      assert.equal(
        await leaseHolder(first, 'lease'),
        secondToken,
        "the first owner's release left the second owner's lease in place",
      );
      secondCompute.open();
      assert.equal(await secondCall, 'second');
      assert.equal(await leaseHolder(first, 'lease'), null, 'the second owner released its own lease');
    },
  },
  {
    slug: 'late-owner-value-is-fenced',
    name: "process A's compute outlives its lease, B takes the lapsed lease and stores its value, then A finishes: B's value survives, A's caller gets A's value, nothing of A's is announced, C reads B's value",
    requires: ['scripting'],
    timeoutMs: 120_000,
    run: (ctx) => lateOwnerTimeline(ctx, { returns: 'from A' }),
  },
  {
    slug: 'late-owner-failure-is-fenced',
    name: "process A's compute outlives its lease and then fails with negativeTtlMs after B stored its value: B's value survives (no cached error), A's caller gets A's error, C reads B's value",
    requires: ['scripting'],
    timeoutMs: 120_000,
    run: (ctx) => lateOwnerTimeline(ctx, { failWith: 'A failed late', negativeTtlMs: 60_000 }),
  },
  {
    slug: 'failure-notice-is-short-lived',
    name: 'without negativeTtlMs a failed compute leaves only a short-lived notice for its waiters (not one for its whole lease), and a later caller computes again',
    requires: ['scripting'],
    async run(ctx) {
      const { redis } = ctx;
      const options = { ttlMs: 60_000, lockTtlMs: 60_000, waitTimeoutMs: 60_000 };
      const errorKey = cacheKeys(redis.keyPrefix, 'notice').error;
      await rejectsWith(
        redis.getOrCompute('notice', () => Promise.reject(new Error('secret detail')), options),
        Error,
        'the failing compute',
      );
      const left = await redis.pttl(errorKey);
      assert.ok(
        left > 0 && left <= FAILURE_NOTICE_BOUND_MS,
        `the failure notice lives ${left} ms, at most ${FAILURE_NOTICE_BOUND_MS} ms (not the 60 s lease)`,
      );
      assert.equal(await redis.exists('notice'), 0, 'the error was not cached');
      assert.equal(await redis.peekCached('notice'), null);
      assert.equal(await redis.getOrCompute('notice', async () => 'fresh', options), 'fresh');
      assert.equal(await redis.exists(errorKey), 0, 'the next owner cleared the notice');
    },
  },
  {
    slug: 'compute-error-reaches-every-waiter',
    name: 'a compute that throws rejects every waiter (in this and other services) with its error, and the next call computes again',
    requires: ['scripting'],
    async run(ctx) {
      const services = [ctx.redis, await ctx.createService(), await ctx.createService()];
      let computes = 0;
      const failing = async () => {
        computes++;
        await sleep(200);
        throw new TypeError('boom');
      };
      const options = { ttlMs: 60_000, lockTtlMs: 5000, waitTimeoutMs: 5000 };
      const calls = services.flatMap((service) =>
        Array.from({ length: 20 }, () => service.getOrCompute('failing', failing, options)),
      );
      const settled = await Promise.allSettled(calls);
      assert.equal(computes, 1, 'one compute for all 60 callers');
      for (const outcome of settled) {
        assert.equal(outcome.status, 'rejected', 'every caller rejects');
        const reason = (outcome as PromiseRejectedResult).reason as Error;
        assert.equal(reason.message, 'boom');
        assert.ok(
          reason instanceof TypeError ||
            (reason instanceof CacheComputeError &&
              reason instanceof RedisError &&
              reason.code === 'ERR_REDIS_COMPUTE' &&
              reason.originalName === 'TypeError' &&
              !reason.cached),
          `the compute's error or a CacheComputeError (a RedisError) naming it, got ${reason.name}`,
        );
      }
      assert.equal(await ctx.redis.exists('failing'), 0, 'the error was not cached');
      assert.equal(await leaseHolder(ctx.redis, 'failing'), null, 'the lease was released');
      assert.equal(await services[1]!.getOrCompute('failing', async () => 'ok', options), 'ok');
    },
  },
  {
    slug: 'waiters-woken-by-pubsub',
    name: "with pub/sub a waiter subscribes to the key's notice channel while it waits, and the owner's notice wakes it",
    requires: ['scripting', 'pubsub'],
    async run(ctx) {
      const other = await ctx.createService();
      const channel = cacheKeys(ctx.redis.keyPrefix, 'pushed').channel;
      // On a cluster with sharded pub/sub the notice is a shard channel; PUBSUB answers per node.
      const { cluster, shardedPubsub } = ctx.redis.capabilities;
      const count = cluster && shardedPubsub ? 'SHARDNUMSUB' : 'NUMSUB';
      const subscribers = async () => {
        let total = 0;
        for (const node of await ctx.redis.masters()) {
          const reply = await node.command(['PUBSUB', count, channel]);
          if (!Array.isArray(reply)) return -1;
          total += Number(reply[1]);
        }
        return total;
      };
      let release: (() => void) | undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const owner = ctx.redis.getOrCompute(
        'pushed',
        async () => {
          await gate;
          return 'pushed';
        },
        { ttlMs: 60_000, lockTtlMs: 20_000 },
      );
      owner.catch(() => {});
      await eventually(
        async () => (await leaseHolder(ctx.redis, 'pushed')) !== null,
        'the owner holds the lease',
      );
      const waiter = other.getOrCompute('pushed', () => assert.fail('the waiter must not compute'), {
        ttlMs: 60_000,
        waitTimeoutMs: 15_000,
      });
      waiter.catch(() => {});
      await eventually(
        async () => (await subscribers()) === 1,
        'the waiter subscribes to the notice channel',
      );
      release?.();
      assert.equal(await waiter, 'pushed');
      assert.equal(await owner, 'pushed');
      await eventually(async () => (await subscribers()) === 0, 'the waiter unsubscribes after its wake-up');
    },
  },
  {
    slug: 'negative-caching',
    name: 'with negativeTtlMs a compute error is cached: the next call rejects without computing',
    requires: ['scripting'],
    async run({ redis }) {
      let computes = 0;
      const failing = async (): Promise<string> => {
        computes++;
        throw new Error('not found');
      };
      const options = { ttlMs: 60_000, negativeTtlMs: 60_000 };
      await rejectsWith(redis.getOrCompute('neg', failing, options), Error, 'the computing call');
      const cached = await rejectsWith(
        redis.getOrCompute('neg', failing, options),
        CacheComputeError,
        'a call within the negative TTL',
      );
      assert.equal(cached.message, 'not found');
      assert.equal(cached.cached, true);
      assert.equal(computes, 1);
      assert.ok((await redis.pttl('neg')) <= 60_000, 'the error entry has its own TTL');
    },
  },
  {
    slug: 'schema-checked-on-read',
    name: 'with a schema, a cached value is checked on read and a computed one before it is written',
    requires: ['scripting'],
    async run({ redis }) {
      assert.deepEqual(
        await redis.getOrCompute('user', async () => ada, { ttl: 60, schema: userSchema }),
        ada,
      );
      assert.deepEqual(
        await redis.getOrCompute('user', () => assert.fail('cached: no compute'), {
          ttl: 60,
          schema: userSchema,
        }),
        ada,
      );
      await redis.getOrCompute('bad', async () => ({ ...ada, age: -1 }), { ttl: 60 });
      const error = await rejectsWith(
        redis.getOrCompute('bad', () => assert.fail('cached: no compute'), { ttl: 60, schema: userSchema }),
        RedisValidationError,
        'a stored value that fails the schema',
      );
      assert.equal(error.key, 'bad');
      await rejectsWith(
        redis.getOrCompute('never', async () => ({ ...ada, name: '' }), { ttl: 60, schema: userSchema }),
        RedisValidationError,
        'a computed value that fails the schema',
      );
      assert.equal(await redis.exists('never'), 0, 'an invalid computed value is not written');
    },
  },
  {
    slug: 'wait-timeout',
    name: 'a waiter whose wait times out rejects with CacheWaitTimeoutError, or computes locally when asked',
    requires: ['scripting'],
    async run(ctx) {
      const other = await ctx.createService();
      const owner = ctx.redis.getOrCompute(
        'slow',
        async () => {
          await sleep(1500);
          return 'owner';
        },
        { ttlMs: 60_000, lockTtlMs: 5000 },
      );
      owner.catch(() => {});
      await eventually(
        async () => (await leaseHolder(ctx.redis, 'slow')) !== null,
        'the owner holds the lease',
      );
      const error = await rejectsWith(
        other.getOrCompute('slow', async () => 'waiter', { ttlMs: 60_000, waitTimeoutMs: 200 }),
        CacheWaitTimeoutError,
        'a wait past waitTimeoutMs',
      );
      assert.equal(error.timeoutMs, 200);
      assert.equal(
        await other.getOrCompute('slow', async () => 'local', {
          ttlMs: 60_000,
          waitTimeoutMs: 200,
          onWaitTimeout: 'compute',
        }),
        'local',
      );
      assert.equal(await owner, 'owner');
    },
  },
  {
    slug: 'stale-while-revalidate',
    name: 'within staleTtlMs a stale value is served while one refresh runs in the background',
    requires: ['scripting'],
    async run({ redis }) {
      let computes = 0;
      const compute = async () => {
        computes++;
        return computes;
      };
      const options = { ttlMs: 100, staleTtlMs: 30_000 };
      assert.equal(await redis.getOrCompute('swr', compute, options), 1);
      await sleep(200);
      const served = await Promise.all([1, 2, 3].map(() => redis.getOrCompute('swr', compute, options)));
      assert.deepEqual(served, [1, 1, 1], 'the stale value is served at once');
      await eventually(
        async () => (await redis.getOrCompute('swr', compute, options)) === 2,
        'the refresh lands',
      );
      assert.equal(computes, 2, 'one refresh');
    },
  },
]);
