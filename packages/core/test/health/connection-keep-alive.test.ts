import { ConnectionKeepAlive, RedisConnectionError, RedisTimeoutError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function keepAlive(ping: () => Promise<unknown>, idleMs = 30, timeoutMs = 30) {
  const unanswered: RedisConnectionError[] = [];
  let pings = 0;
  const watch = new ConnectionKeepAlive({
    idleMs,
    timeoutMs,
    describe: 'the subscriber connection to test:1',
    ping: () => {
      pings++;
      return ping();
    },
    onUnanswered: (reason) => unanswered.push(reason),
  });
  return { watch, unanswered, pings: () => pings };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(5);
  }
}

describe('ConnectionKeepAlive', () => {
  it('pings an idle connection and stays quiet while it answers', async () => {
    const { watch, unanswered, pings } = keepAlive(async () => 'PONG');
    watch.start();
    await until(() => pings() >= 2, 'two pings');
    watch.stop();
    expect(unanswered).toEqual([]);
  });

  it('hands over a connection whose ping goes unanswered, or times out in the driver', async () => {
    for (const ping of [
      () => new Promise(() => {}),
      () => Promise.reject(new RedisTimeoutError('slow', 30)),
    ]) {
      const { watch, unanswered } = keepAlive(ping);
      watch.start();
      await until(() => unanswered.length >= 1, 'the hand-over');
      watch.stop();
      expect(unanswered[0]).toBeInstanceOf(RedisConnectionError);
      expect(unanswered[0]?.message).toMatch(/subscriber connection to test:1 was replaced.*half-open/);
    }
  });

  it('leaves a connection that is down (the driver reconnects it) to the next ping', async () => {
    const { watch, unanswered, pings } = keepAlive(() => Promise.reject(new RedisConnectionError('down')));
    watch.start();
    await until(() => pings() >= 2, 'two pings');
    watch.stop();
    expect(unanswered).toEqual([]);
  });

  it('never pings a connection that keeps receiving, nor once stopped, nor with idleMs 0', async () => {
    const busy = keepAlive(() => new Promise(() => {}), 60);
    busy.watch.start();
    const traffic = setInterval(() => busy.watch.received(), 10);
    await sleep(200);
    clearInterval(traffic);
    busy.watch.stop();
    const off = keepAlive(() => new Promise(() => {}), 0);
    off.watch.start();
    await sleep(50);
    expect(busy.pings() + off.pings()).toBe(0);
    expect(busy.unanswered.length + off.unanswered.length).toBe(0);
  });
});
