/**
 * A wake-up worker process: one service (as another process of an application would have), and
 * per round `callers` getOrCompute calls of one key whose lease the parent holds. It reports when
 * each call resolved, and when a subscription of its own saw the owner's notice, so the parent can
 * tell delivery (Redis -> this process) from wake-up (notice -> callers).
 */
import { cacheKeys, type RedisService } from '@redis-service/core';
import { openWakeUpService } from './open-service.js';
import type { FromWakeUpWorker, ToWakeUpWorker } from './protocol.js';

const send = (message: FromWakeUpWorker) => process.send?.(message);
const now = () => process.hrtime.bigint().toString();
let service: RedisService | undefined;
// A second service, on connections of its own, whose subscription only notes when the notice came.
let probe: RedisService | undefined;
let prefix = '';

async function round(key: string, callers: number): Promise<void> {
  const redis = service!;
  const { channel } = cacheKeys(prefix, key);
  // A subscription of our own on the notice channel, beside the cache's: when the notice arrived here.
  let noticeAt: string | undefined;
  const subscription = await probe!.subscribe(channel, { bufferSize: 4 });
  const seen = (async () => {
    for await (const _ of subscription) {
      noticeAt ??= now();
      break;
    }
  })();
  const resolvedAt: string[] = [];
  const errors: string[] = [];
  const options = { ttlMs: 60_000, lockTtlMs: 10_000, waitTimeoutMs: 10_000 };
  const calls = Array.from({ length: callers }, () =>
    redis
      .getOrCompute(key, () => Promise.reject(new Error('a waiter computed')), options)
      .then(
        () => {
          resolvedAt.push(now());
        },
        (error: unknown) => {
          errors.push(error instanceof Error ? error.message : String(error));
        },
      ),
  );
  send({ type: 'waiting' });
  await Promise.all(calls);
  await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 1000))]);
  await subscription.unsubscribe();
  send({ type: 'woken', resolvedAt, noticeAt, errors });
}

process.on('message', (message: ToWakeUpWorker) => {
  const step = async () => {
    switch (message.type) {
      case 'start':
        service = openWakeUpService(message.adapter, message, message.prefix);
        probe = openWakeUpService(message.adapter, message, message.prefix);
        prefix = message.prefix;
        await Promise.all([service.command(['PING']), probe.command(['PING'])]);
        send({ type: 'ready' });
        return;
      case 'round':
        await round(message.key, message.callers);
        return;
      case 'close':
        await Promise.all([service?.close(), probe?.close()]);
        process.exit(0);
    }
  };
  step().catch((error: unknown) => {
    send({
      type: 'failed',
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  });
});
process.on('disconnect', () => process.exit(0));
