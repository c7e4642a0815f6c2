import type { IntegrationContext } from '../case.js';
import { WorkerPool, workerSkipReason } from './worker-pool.js';

/**
 * Starts a pool of `size` worker processes for an integration case: same adapter, same URL and
 * the case's key prefix, closed (children killed if need be) after the case. Skips the case when
 * the adapter has no `worker` entry.
 */
export async function startCaseWorkers(
  ctx: IntegrationContext,
  size: number,
  options: { readonly commandTimeoutMs?: number; readonly startTimeoutMs?: number } = {},
): Promise<WorkerPool> {
  const reason = workerSkipReason(ctx.adapter);
  if (reason) ctx.skip(reason);
  const pool = await WorkerPool.start({
    adapter: ctx.adapter,
    url: ctx.url,
    ...(ctx.nodes ? { nodes: ctx.nodes } : {}),
    ...(ctx.sentinel
      ? { sentinel: { sentinels: ctx.sentinel.sentinels, masterName: ctx.sentinel.masterName } }
      : {}),
    prefix: ctx.prefix,
    size,
    ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
  });
  ctx.defer(() => pool.close());
  return pool;
}
