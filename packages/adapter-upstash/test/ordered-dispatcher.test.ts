import { RedisAbortedError, RedisTimeoutError } from '@redis-service/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstashService, type RestTransport, UpstashDriver } from '../src/index.js';
import { HANG, startUpstashScriptedServer } from './support/kit.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A transport whose requests the test answers by hand. */
class ManualTransport implements RestTransport {
  readonly endpoint = 'manual://rest';
  readonly exactIntegers = true;
  readonly requests: { argvs: readonly (readonly string[])[]; answer: (value: unknown) => void }[] = [];

  command(argv: readonly string[], signal: AbortSignal): Promise<unknown> {
    return this.#request([argv], signal);
  }

  batch(
    commands: readonly (readonly string[])[],
    _transaction: boolean,
    signal: AbortSignal,
  ): Promise<unknown> {
    return this.#request(commands, signal);
  }

  #request(argvs: readonly (readonly string[])[], signal: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.requests.push({ argvs, answer: resolve });
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
}

function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // A busy event loop: no timer can fire meanwhile.
  }
}

describe('the Upstash dispatcher sends requests only for callers still waiting', () => {
  it('5,000 callers giving up while the service does not answer cause no request besides the one already out', async () => {
    const server = await startUpstashScriptedServer((command) => (command[0] === 'GET' ? HANG : undefined));
    cleanups.push(() => server.close());
    let requests = 0;
    let afterFirstAbort = 0;
    let aborting = false;
    const counting: typeof fetch = (input, init) => {
      requests++;
      if (aborting) afterFirstAbort++;
      return fetch(input, init);
    };
    const redis = createUpstashService({
      url: server.url,
      token: 't',
      commandTimeoutMs: 30_000,
      fetch: counting,
    });
    cleanups.push(() => redis.close());
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 5000; i++) {
      const controller = new AbortController();
      calls.push(
        redis.command(['GET', `k${i}`], { signal: controller.signal }).catch((error: unknown) => error),
      );
      // Each caller gives up in a task of its own, all in the same turn of the event loop, while
      // the permits they free go to the callers queued behind them.
      setImmediate(() => {
        aborting = true;
        controller.abort();
      });
    }
    const outcomes = await Promise.all(calls);
    expect(outcomes.every((outcome) => outcome instanceof RedisAbortedError)).toBe(true);
    expect(afterFirstAbort).toBe(0);
    expect(requests).toBe(1);
  });

  it('never sends a queued call whose deadline passed while the event loop was busy', async () => {
    const transport = new ManualTransport();
    const driver = new UpstashDriver(transport, { commandTimeoutMs: 100 });
    cleanups.push(() => driver.close());
    const first = driver.send(['GET', 'first']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(transport.requests).toHaveLength(1);
    const late = Array.from({ length: 20 }, (_, i) =>
      driver.send(['GET', `late${i}`]).catch((error: unknown) => error),
    );
    blockEventLoop(250);
    // The answer arrives before any timer could run: the queued calls are past their deadline.
    transport.requests[0]!.answer('one');
    await expect(first).resolves.toBe('one');
    for (const outcome of await Promise.all(late)) expect(outcome).toBeInstanceOf(RedisTimeoutError);
    expect(transport.requests).toHaveLength(1);
  });
});
