import {
  FIXED_WINDOW_SCRIPT,
  GCRA_SCRIPT,
  keySlot,
  type RateLimitOptions,
  type RateLimitResult,
  RedisAbortedError,
  type RedisCommand,
  RedisConnectionError,
  type RedisReply,
  RedisReplyError,
  RedisSerializationError,
  RedisService,
  RedisValidationError,
  rateLimitKeys,
  SLIDING_WINDOW_SCRIPT,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { MAX_RATE_LIMIT_BATCH, MIN_EARLY_BATCH } from '../../src/ratelimit/rate-limit-batcher.js';
import {
  FIXED_WINDOW_BATCH,
  GCRA_BATCH,
  SLIDING_WINDOW_BATCH,
  SLIDING_WINDOW_COUNTER_BATCH,
} from '../../src/ratelimit/rate-limit-scripts.js';
import { prepareRateLimit } from '../../src/ratelimit/validate-rate-limit.js';
import { FakeDriver, type FakeDriverOptions } from '../support/fake-driver.js';

const fixed: RateLimitOptions = { algorithm: 'fixed-window', limit: 10, windowMs: 1000 };
const gcra: RateLimitOptions = { algorithm: 'gcra', rate: 2, periodMs: 1000, burst: 5 };
const sliding: RateLimitOptions = { algorithm: 'sliding-window', limit: 10, windowMs: 1000 };

const SINGLE_SCRIPTS = new Set([FIXED_WINDOW_SCRIPT.sha1, GCRA_SCRIPT.sha1, SLIDING_WINDOW_SCRIPT.sha1]);

/** One check's reply: allowed, with `remaining` the number in its key (`k7` -> 7), so order shows. */
function replyFor(key: string): number[] {
  return [1, Number(/\{k(\d+)\}/.exec(key)?.[1] ?? -1), 1_000, 0];
}

/** Answers single scripts with one reply and batch scripts with one per key (one key per check). */
function answer(command: RedisCommand): RedisReply {
  const keys = command.slice(3, 3 + Number(command[2])).map(String);
  return SINGLE_SCRIPTS.has(String(command[1])) ? replyFor(keys[0]!) : keys.flatMap(replyFor);
}

function setup(options: FakeDriverOptions = {}) {
  const driver = new FakeDriver({ respond: answer, ...options });
  const service = new RedisService(driver, { keyPrefix: 'app:' });
  return { driver, service };
}

/** The key of the check `holdAScript` keeps in flight. */
const HELD_KEY = 'app:rl:{held}:fw';

/**
 * Puts one check in flight, its reply held until the returned function runs: while a script is in
 * flight, a tick's checks go as one script (with none, as two). Its call is left out of
 * `scriptCalls` and `sentBesidesHeld`.
 */
async function holdAScript(driver: FakeDriver, service: RedisService): Promise<() => Promise<void>> {
  const reply = driver.defer();
  const held = service.checkRateLimit('held', fixed);
  await Promise.resolve();
  await Promise.resolve();
  expect(driver.sent).toEqual([['EVALSHA', FIXED_WINDOW_SCRIPT.sha1, 1, HELD_KEY, 10, 1000, 1]]);
  return async () => {
    reply.resolve([1, 9, 1_000, 0]);
    await held;
  };
}

/** The commands sent, without the one `holdAScript` keeps in flight. */
function sentBesidesHeld(driver: FakeDriver): RedisCommand[] {
  return driver.sent.filter((command) => command[3] !== HELD_KEY);
}

/** The script calls (without `holdAScript`'s): each one's SHA-1, keys (one or more per check) and slot. */
function scriptCalls(driver: FakeDriver): { sha1: string; keys: string[]; slot: number | undefined }[] {
  return driver.calls.flatMap((call) =>
    call.method === 'send' && call.command[0] === 'EVALSHA' && call.command[3] !== HELD_KEY
      ? [
          {
            sha1: String(call.command[1]),
            keys: call.command.slice(3, 3 + Number(call.command[2])).map(String),
            slot: call.options?.slot,
          },
        ]
      : [],
  );
}

describe('rate-limit batching', () => {
  it('keeps the single scripts byte for byte (their SHA-1 is what servers have cached)', () => {
    expect(SLIDING_WINDOW_SCRIPT.sha1).toBe('d854ff91a29aacf7477c962156e839823bbeda2a');
    expect(FIXED_WINDOW_SCRIPT.sha1).toBe('ba22164727c62750e0b58e2ed406c99434757829');
    expect(GCRA_SCRIPT.sha1).toBe('4c3d6610c6f3c7f53a8c65fdd236e2514b0d5cdd');
  });

  it('builds each batch script from its single script: one TIME, the body unchanged inside a function', () => {
    for (const [single, batch] of [
      [FIXED_WINDOW_SCRIPT, FIXED_WINDOW_BATCH],
      [GCRA_SCRIPT, GCRA_BATCH],
    ] as const) {
      const clockEnd = single.source.indexOf('\n', single.source.indexOf("redis.call('TIME')") + 1);
      const clockAndNow = single.source.indexOf('\n', clockEnd + 1) + 1;
      const body = single.source.slice(clockAndNow);
      expect(batch.script.source.startsWith(single.source.slice(0, clockAndNow))).toBe(true);
      expect(batch.script.source).toContain(`local function check(KEYS, ARGV)\n${body}\nend`);
      expect(batch.script.source.match(/redis\.call\('TIME'\)/g)).toHaveLength(1);
    }
  });

  it("gives each batch script the key and argument counts of its algorithm's checks", () => {
    const cases: [RateLimitOptions, { keysPerCheck: number; argsPerCheck: number }][] = [
      [fixed, FIXED_WINDOW_BATCH],
      [gcra, GCRA_BATCH],
      [sliding, SLIDING_WINDOW_BATCH],
      [{ algorithm: 'sliding-window-counter', limit: 1, windowMs: 1 }, SLIDING_WINDOW_COUNTER_BATCH],
    ];
    for (const [options, batch] of cases) {
      expect(rateLimitKeys('k', options.algorithm)).toHaveLength(batch.keysPerCheck);
      expect(prepareRateLimit('k', options).args).toHaveLength(batch.argsPerCheck);
      expect(prepareRateLimit('k', options).batch).toBe(batch);
    }
  });

  it('while a script is in flight, sends the checks of one tick as one batch script, and maps the results back in order', async () => {
    const { driver, service } = setup();
    const release = await holdAScript(driver, service);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => service.checkRateLimit(`k${i}`, { ...fixed, cost: 2 })),
    );
    expect(results.map((result) => result.remaining)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results[3]).toEqual({ allowed: true, limit: 10, remaining: 3, resetAtMs: 1_000, retryAfterMs: 0 });
    expect(sentBesidesHeld(driver)).toEqual([
      [
        'EVALSHA',
        FIXED_WINDOW_BATCH.script.sha1,
        10,
        ...Array.from({ length: 10 }, (_, i) => `app:rl:{k${i}}:fw`),
        // One argument list shared by all ten.
        1,
        10,
        1000,
        2,
      ],
    ]);
    await release();
  });

  it('while no script is in flight, sends the checks of one tick as two batch scripts, in order', async () => {
    const { driver, service } = setup();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => service.checkRateLimit(`k${i}`, fixed)),
    );
    expect(results.map((result) => result.remaining)).toEqual([0, 1, 2, 3, 4]);
    expect(scriptCalls(driver).map(({ sha1, keys }) => [sha1, keys])).toEqual([
      [FIXED_WINDOW_BATCH.script.sha1, ['app:rl:{k0}:fw', 'app:rl:{k1}:fw', 'app:rl:{k2}:fw']],
      [FIXED_WINDOW_BATCH.script.sha1, ['app:rl:{k3}:fw', 'app:rl:{k4}:fw']],
    ]);
    // Three checks stay one script: halves of one and two would be two scripts (see the next case).
    await Promise.all([5, 6, 7].map((i) => service.checkRateLimit(`k${i}`, fixed)));
    expect(
      scriptCalls(driver)
        .slice(2)
        .map(({ sha1, keys }) => [sha1, keys]),
    ).toEqual([[FIXED_WINDOW_BATCH.script.sha1, ['app:rl:{k5}:fw', 'app:rl:{k6}:fw', 'app:rl:{k7}:fw']]]);
  });

  it('runs the checks of one tick in order when the server lacks the batch script (NOSCRIPT, then EVAL)', async () => {
    for (const count of [3, 4, 5]) {
      // A server that has the single scripts cached, not the batch script, until an EVAL loads it.
      const loaded = new Set(SINGLE_SCRIPTS);
      const ran: string[] = [];
      const driver = new FakeDriver({
        respond: (command) => {
          const source = command[0] === 'EVAL' ? String(command[1]) : undefined;
          const sha1 =
            source === undefined
              ? String(command[1])
              : [FIXED_WINDOW_SCRIPT, FIXED_WINDOW_BATCH.script].find((s) => s.source === source)!.sha1;
          if (source !== undefined) loaded.add(sha1);
          if (!loaded.has(sha1)) throw new RedisReplyError('NOSCRIPT No matching script. Please use EVAL.');
          const reply = answer(['EVALSHA', sha1, ...command.slice(2)]);
          ran.push(...command.slice(3, 3 + Number(command[2])).map(String));
          return reply;
        },
      });
      const service = new RedisService(driver, { keyPrefix: 'app:' });
      const keys = Array.from({ length: count }, (_, i) => `k${i}`);
      const results = await Promise.all(keys.map((key) => service.checkRateLimit(key, fixed)));
      expect(results.map((result) => result.remaining)).toEqual(keys.map((_, i) => i));
      // A lone check's single script would have run first, ahead of the batch's EVAL.
      expect(ran, `${count} checks`).toEqual(keys.map((key) => `app:rl:{${key}}:fw`));
    }
  });

  it('sends each distinct argument list once, and which one each check uses', async () => {
    const { driver, service } = setup();
    const release = await holdAScript(driver, service);
    const costs = [1, 2, 1, 3, 2];
    await Promise.all(costs.map((cost, i) => service.checkRateLimit(`k${i}`, { ...fixed, cost })));
    expect(sentBesidesHeld(driver)[0]?.slice(3 + costs.length)).toEqual([
      3, 10, 1000, 1, 10, 1000, 2, 10, 1000, 3, 0, 1, 0, 2, 1,
    ]);
    await release();
  });

  it('sends a lone check as the single-check script', async () => {
    const { driver, service } = setup();
    const result = await service.checkRateLimit('k4', fixed);
    expect(result.remaining).toBe(4);
    expect(driver.sent).toEqual([['EVALSHA', FIXED_WINDOW_SCRIPT.sha1, 1, 'app:rl:{k4}:fw', 10, 1000, 1]]);
  });

  it('queues each algorithm on its own: mixed checks of one tick give one script per algorithm', async () => {
    const { driver, service } = setup();
    const release = await holdAScript(driver, service);
    const results = await Promise.all([
      service.checkRateLimit('k1', fixed),
      service.checkRateLimit('k2', gcra),
      service.checkRateLimit('k3', fixed),
      service.checkRateLimit('k4', sliding),
      service.checkRateLimit('k5', gcra),
    ]);
    expect(results.map((result) => [result.remaining, result.limit])).toEqual([
      [1, 10],
      [2, 5],
      [3, 10],
      [4, 10],
      [5, 5],
    ]);
    expect(scriptCalls(driver).map(({ sha1, keys }) => [sha1, keys])).toEqual([
      [FIXED_WINDOW_BATCH.script.sha1, ['app:rl:{k1}:fw', 'app:rl:{k3}:fw']],
      [GCRA_BATCH.script.sha1, ['app:rl:{k2}:gcra', 'app:rl:{k5}:gcra']],
      [SLIDING_WINDOW_SCRIPT.sha1, ['app:rl:{k4}:sw']],
    ]);
    expect(sentBesidesHeld(driver)[1]?.slice(5)).toEqual([1, 5, 2, 1000, 1]);
    await release();
  });

  it('on a cluster driver, batches only checks of one hash slot, and routes each batch to its slot', async () => {
    const { driver, service } = setup({ capabilities: { cluster: true } });
    const release = await holdAScript(driver, service);
    const keys = ['k1', 'k2', 'k1', 'k3', 'k2', 'k1'];
    const results = await Promise.all(keys.map((key) => service.checkRateLimit(key, fixed)));
    expect(results.map((result) => result.remaining)).toEqual([1, 2, 1, 3, 2, 1]);
    const calls = scriptCalls(driver);
    expect(calls.map(({ keys: sent }) => sent)).toEqual([
      ['app:rl:{k1}:fw', 'app:rl:{k1}:fw', 'app:rl:{k1}:fw'],
      ['app:rl:{k2}:fw', 'app:rl:{k2}:fw'],
      ['app:rl:{k3}:fw'],
    ]);
    for (const call of calls) expect(call.slot).toBe(keySlot(call.keys[0]!));
    expect(new Set(calls.map((call) => call.slot)).size).toBe(3);
    await release();
  });

  it('groups a key holding a } by the slot of its prefixed keys', async () => {
    const { driver, service } = setup({ capabilities: { cluster: true } });
    const release = await holdAScript(driver, service);
    await Promise.all([service.checkRateLimit('a}1', fixed), service.checkRateLimit('a}1', fixed)]);
    const [call] = scriptCalls(driver);
    expect(call?.keys).toHaveLength(2);
    expect(call?.slot).toBe(keySlot(call!.keys[0]!));
    await release();
  });

  it('refuses bad input before it joins a queue: the others of the tick still go out', async () => {
    const { driver, service } = setup();
    const release = await holdAScript(driver, service);
    const good = [service.checkRateLimit('k1', fixed), service.checkRateLimit('k2', fixed)];
    const bad = service.checkRateLimit('k3', { ...fixed, limit: 0 });
    const tooCostly = service.checkRateLimit('k4', { ...fixed, cost: 11 });
    expect(scriptCalls(driver)).toHaveLength(0);
    await expect(bad).rejects.toBeInstanceOf(RedisValidationError);
    await expect(tooCostly).rejects.toBeInstanceOf(RedisValidationError);
    await Promise.all(good);
    expect(scriptCalls(driver).map(({ keys }) => keys)).toEqual([['app:rl:{k1}:fw', 'app:rl:{k2}:fw']]);
    await release();
  });

  it('drops a caller whose signal fired before the batch was sent, and refuses an aborted one at once', async () => {
    const { driver, service } = setup();
    const release = await holdAScript(driver, service);
    const controller = new AbortController();
    const first = service.checkRateLimit('k1', fixed);
    const aborted = service.checkRateLimit('k2', { ...fixed, signal: controller.signal });
    const third = service.checkRateLimit('k3', fixed);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(RedisAbortedError);
    await expect(
      service.checkRateLimit('k4', { ...fixed, signal: controller.signal }),
    ).rejects.toBeInstanceOf(RedisAbortedError);
    expect((await first).remaining).toBe(1);
    expect((await third).remaining).toBe(3);
    expect(scriptCalls(driver).map(({ keys }) => keys)).toEqual([['app:rl:{k1}:fw', 'app:rl:{k3}:fw']]);
    await release();
  });

  it('sends nothing when every caller of a queue aborted', async () => {
    const { driver, service } = setup();
    const controller = new AbortController();
    const checks = [1, 2].map((i) =>
      service.checkRateLimit(`k${i}`, { ...fixed, signal: controller.signal }),
    );
    controller.abort();
    for (const check of checks) await expect(check).rejects.toBeInstanceOf(RedisAbortedError);
    expect(driver.calls).toHaveLength(0);
  });

  it('lets a caller stop waiting after its batch was sent, without disturbing the others', async () => {
    const driver = new FakeDriver();
    const service = new RedisService(driver, { keyPrefix: 'app:' });
    const release = await holdAScript(driver, service);
    const reply = driver.defer();
    const controller = new AbortController();
    const waiting = service.checkRateLimit('k1', { ...fixed, signal: controller.signal });
    const other = service.checkRateLimit('k2', fixed);
    await Promise.resolve();
    expect(scriptCalls(driver)).toHaveLength(1);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(RedisAbortedError);
    reply.resolve([1, 9, 1_000, 0, 1, 8, 1_000, 0]);
    expect((await other).remaining).toBe(8);
    await release();
  });

  it('gives a batch failure to every caller, each under its own failure policy', async () => {
    const driver = new FakeDriver();
    const service = new RedisService(driver, { failurePolicy: 'fail-open', keyPrefix: 'app:' });
    const release = await holdAScript(driver, service);
    driver
      .fail(new RedisConnectionError('connection lost'))
      .fail(new RedisConnectionError('connection lost'));
    const [open, closed, openByDefault] = await Promise.allSettled([
      service.checkRateLimit('k1', { ...fixed, cost: 3, failurePolicy: 'fail-open' }),
      service.checkRateLimit('k2', { ...fixed, failurePolicy: 'fail-closed' }),
      service.checkRateLimit('k3', gcra),
      service.checkRateLimit('k4', gcra),
    ]);
    expect(open).toMatchObject({
      status: 'fulfilled',
      value: { allowed: true, remaining: 7, degraded: true },
    });
    expect(closed).toMatchObject({ status: 'rejected', reason: expect.any(RedisConnectionError) });
    expect(openByDefault).toMatchObject({ status: 'fulfilled', value: { degraded: true, limit: 5 } });
    // One batch per algorithm, both lost.
    expect(scriptCalls(driver)).toHaveLength(2);
    await release();
  });

  it('never fails open on a server error, for the batch or for one check in it', async () => {
    const driver = new FakeDriver();
    const service = new RedisService(driver, { failurePolicy: 'fail-open', keyPrefix: 'app:' });
    const release = await holdAScript(driver, service);
    driver.reply([
      ...[1, 9, 1_000, 0],
      ...['WRONGTYPE Operation against a key holding the wrong kind of value', 0, 0, 0],
      ...[1, 7, 1_000, 0],
      ...['LOADING Redis is loading the dataset in memory', 0, 0, 0],
    ]);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => service.checkRateLimit(`k${i}`, fixed)));
    expect(settled[0]).toMatchObject({ status: 'fulfilled', value: { remaining: 9 } });
    expect(settled[1]).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ prefix: 'WRONGTYPE' }),
    });
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(RedisReplyError);
    expect(settled[2]).toMatchObject({ status: 'fulfilled', value: { remaining: 7 } });
    // LOADING means Redis cannot serve right now: the policy applies, as for the single script.
    expect(settled[3]).toMatchObject({ status: 'fulfilled', value: { degraded: true } });
    await release();
  });

  it('refuses a batch reply of the wrong length for every caller of it, and a check of the wrong shape alone', async () => {
    const driver = new FakeDriver();
    const service = new RedisService(driver, { keyPrefix: 'app:' });
    const release = await holdAScript(driver, service);
    driver.reply([1, 9, 1_000, 0]);
    const settled = await Promise.allSettled([1, 2].map((i) => service.checkRateLimit(`k${i}`, fixed)));
    for (const outcome of settled) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(RedisSerializationError) });
    }
    driver.reply([1, 9, 1_000, 0, 1, null, 1_000, 0]);
    const [good, odd] = await Promise.allSettled([1, 2].map((i) => service.checkRateLimit(`k${i}`, fixed)));
    expect(good).toMatchObject({ status: 'fulfilled', value: { remaining: 9 } });
    expect(odd).toMatchObject({ status: 'rejected', reason: expect.any(RedisSerializationError) });
    await release();
  });

  it(`never puts more than ${MAX_RATE_LIMIT_BATCH} checks in one script, and answers all in order`, async () => {
    const { driver, service } = setup();
    const count = 3 * MAX_RATE_LIMIT_BATCH + 5;
    const results: Promise<RateLimitResult>[] = [];
    for (let i = 0; i < count; i++) results.push(service.checkRateLimit(`k${i}`, fixed));
    expect((await Promise.all(results)).map((result) => result.remaining)).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
    const calls = scriptCalls(driver);
    expect(calls.length).toBeGreaterThan(3);
    for (const call of calls) expect(call.keys.length).toBeLessThanOrEqual(MAX_RATE_LIMIT_BATCH);
    expect(calls.flatMap((call) => call.keys)).toEqual(
      Array.from({ length: count }, (_, i) => `app:rl:{k${i}}:fw`),
    );
  });

  it(`sends a queue before the end of the tick once it holds ${MIN_EARLY_BATCH} checks and nothing is in flight, as two halves`, async () => {
    const { driver, service } = setup();
    const results: Promise<RateLimitResult>[] = [];
    for (let i = 0; i < MIN_EARLY_BATCH; i++) results.push(service.checkRateLimit(`k${i}`, fixed));
    // Sent within the tick, so Redis works on them while the rest of the tick is prepared.
    const half = MIN_EARLY_BATCH / 2;
    expect(scriptCalls(driver).map(({ keys }) => keys.length)).toEqual([half, half]);
    results.push(service.checkRateLimit('k99', fixed));
    expect(scriptCalls(driver)).toHaveLength(2);
    await Promise.all(results);
    expect(scriptCalls(driver).map(({ sha1, keys }) => [sha1, keys.length])).toEqual([
      [FIXED_WINDOW_BATCH.script.sha1, half],
      [FIXED_WINDOW_BATCH.script.sha1, half],
      [FIXED_WINDOW_SCRIPT.sha1, 1],
    ]);
  });

  it(`while a script is in flight, sends a queue early once it holds ${MIN_EARLY_BATCH} checks, whole`, async () => {
    const { driver, service } = setup();
    const release = await holdAScript(driver, service);
    const results: Promise<RateLimitResult>[] = [];
    for (let i = 0; i < MIN_EARLY_BATCH; i++) results.push(service.checkRateLimit(`k${i}`, fixed));
    expect(scriptCalls(driver).map(({ keys }) => keys.length)).toEqual([MIN_EARLY_BATCH]);
    await Promise.all(results);
    await release();
  });

  it('takes one inflight permit per script', async () => {
    const driver = new FakeDriver({ respond: answer });
    const service = new RedisService(driver, { maxInflight: 1, keyPrefix: 'app:' });
    const release = await holdAScript(driver, service);
    const results = Promise.all([1, 2, 3].map((i) => service.checkRateLimit(`k${i}`, fixed)));
    await Promise.resolve();
    await Promise.resolve();
    // The batch waits for the permit the held check has.
    expect(scriptCalls(driver)).toHaveLength(0);
    expect(service.stats).toMatchObject({ active: 1, queued: 1 });
    await release();
    expect((await results).map((result) => result.remaining)).toEqual([1, 2, 3]);
    expect(scriptCalls(driver)).toHaveLength(1);
  });
});
