/**
 * The entry of a worker process forked by `WorkerPool`: rebuilds the adapter from its module,
 * opens one service with the pool's prefix, then runs jobs from the catalog on request.
 * Exits when the parent says `close` or goes away (IPC disconnect), so no worker outlives its pool.
 */
import { RedisService } from '@redis-service/core';
import { createDriverFor } from '../runner/created-driver.js';
import { loadAdapter } from '../runner/load-adapter.js';
import { workerJobs } from './job-catalog.js';
import type { WorkerJobContext } from './worker-job.js';
import { type FromWorker, serializeError, type ToWorker, type WorkerStartup } from './worker-protocol.js';

function send(message: FromWorker): void {
  process.send?.(message);
}

async function start(startup: WorkerStartup): Promise<() => Promise<void>> {
  const adapter = await loadAdapter(startup.module, startup.export);
  const { driver, teardown } = await createDriverFor(adapter, {
    url: startup.url,
    ...(startup.nodes ? { nodes: startup.nodes } : {}),
    ...(startup.sentinel ? { sentinel: startup.sentinel } : {}),
  });
  const redis = new RedisService(driver, {
    keyPrefix: startup.prefix,
    commandTimeoutMs: startup.commandTimeoutMs,
  });
  // Ready means connected: a driver that connects on its first command (or has a primary to find
  // through sentinels) would otherwise start the pool's jobs late, and skew cases that race them.
  await redis.command(['PING']);
  const context: WorkerJobContext = {
    redis,
    driver,
    prefix: startup.prefix,
    workerIndex: startup.workerIndex,
    workerCount: startup.workerCount,
    commandTimeoutMs: startup.commandTimeoutMs,
  };
  process.on('message', (message: ToWorker) => {
    if (message.type !== 'run') return;
    const job = workerJobs[message.job];
    const running = job
      ? Promise.resolve().then(() => job(context, message.params))
      : Promise.reject(new Error(`no worker job named '${message.job}'`));
    running.then(
      (value) => send({ type: 'result', id: message.id, ok: true, value }),
      (error: unknown) => send({ type: 'result', id: message.id, ok: false, error: serializeError(error) }),
    );
  });
  return async () => {
    await redis.close().catch(() => {});
    await teardown().catch(() => {});
  };
}

const startup = JSON.parse(process.argv[2] ?? '{}') as WorkerStartup;
let shutdown: (() => Promise<void>) | undefined;
const exit = () => {
  const done = shutdown ? shutdown() : Promise.resolve();
  void done.finally(() => process.exit(0));
};
process.on('message', (message: ToWorker) => {
  if (message.type === 'close') exit();
});
process.on('disconnect', exit);
start(startup).then(
  (close) => {
    shutdown = close;
    send({ type: 'ready' });
  },
  (error: unknown) => {
    send({ type: 'failed-to-start', error: serializeError(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
