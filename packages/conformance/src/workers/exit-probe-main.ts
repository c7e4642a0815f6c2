/**
 * The child of the exit case (`runExitProbe`): builds the adapter from its module (with the
 * injected fault, in the self-check), uses a service the way an application does, closes it and
 * returns. It never calls `process.exit`: the process must end by itself, which it does only if
 * the driver released every socket and timer.
 */
import { type PubSubMessage, RedisService } from '@redis-service/core';
import { brokenDrivers } from '../faults/broken-drivers.js';
import { breakAdapter } from '../runner/break-adapter.js';
import { createDriverFor } from '../runner/created-driver.js';
import { loadAdapter } from '../runner/load-adapter.js';
import { CLOSED_LINE, type ExitProbeStartup } from './exit-probe-protocol.js';

async function main(startup: ExitProbeStartup): Promise<void> {
  const loaded = await loadAdapter(startup.module, startup.export);
  const broken = startup.fault
    ? brokenDrivers.find((candidate) => candidate.fault === startup.fault)
    : undefined;
  if (startup.fault && !broken) throw new Error(`no broken driver has the fault '${startup.fault}'`);
  const adapter = broken ? breakAdapter(loaded, broken) : loaded;
  const { driver, teardown } = await createDriverFor(adapter, { url: startup.url });
  const redis = new RedisService(driver, { keyPrefix: startup.prefix, commandTimeoutMs: 10_000 });
  await redis.set('exit', '1', { ttl: 60 });
  if ((await redis.get('exit')) !== '1') throw new Error('GET did not read what SET wrote');
  await redis.pipeline((p) => [p.incr('exit:n'), p.pexpire('exit:n', 60_000)]);
  if (redis.capabilities.transactions) await redis.transaction((t) => [t.incr('exit:n'), t.get('exit')]);
  if (redis.capabilities.pubsub) {
    const channel = `${startup.prefix}exit`;
    const subscription = await redis.subscribe(channel);
    const iterator = subscription[Symbol.asyncIterator]();
    const next: Promise<IteratorResult<PubSubMessage>> = iterator.next();
    await redis.publish(channel, 'bye');
    await next;
    await subscription.unsubscribe();
  }
  await redis.close();
  await teardown();
  process.stdout.write(`${CLOSED_LINE}\n`);
  // Diagnostics that do not hold the process: what still does, should it fail to end.
  const report = setTimeout(() => {
    process.stderr.write(`still active: ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
  }, 2_000);
  report.unref();
}

main(JSON.parse(process.argv[2] ?? '{}') as ExitProbeStartup).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
