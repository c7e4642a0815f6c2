import { RedisService } from '@redis-service/core';
import { wrapDriver } from '../../faults/wrap-driver.js';
import type { WorkerJob, WorkerJobContext } from '../worker-job.js';

/** Parameters of `getOrComputeJob`. */
export interface GetOrComputeJobParams {
  /** The cached key (under the pool's prefix). */
  readonly key: string;
  /** A counter every compute INCRs, so the parent counts computes across processes. */
  readonly counterKey: string;
  /** How many concurrent `getOrCompute` calls this worker makes. */
  readonly calls: number;
  /** How long each compute takes (ms). */
  readonly computeMs: number;
  readonly ttlMs: number;
  readonly lockTtlMs: number;
  readonly waitTimeoutMs: number;
  /** When given, the compute throws an `Error` with this message instead of returning. */
  readonly failWith?: string;
  /**
   * When given, every worker counts itself in this key once its callers have taken their first
   * lease step (they own the lease or wait for it), and the compute holds on until all workers
   * have: every caller in every process is then waiting for this one compute, however slowly the
   * processes started. Without it a worker that starts after the compute ended is a later
   * caller, and computes again.
   */
  readonly readyKey?: string;
}

/** What `getOrComputeJob` reports: every distinct value its callers got, and every distinct failure. */
export interface GetOrComputeJobResult {
  readonly fulfilled: number;
  readonly values: readonly string[];
  readonly errors: readonly string[];
}

/**
 * Fires `calls` concurrent `getOrCompute` calls on one key from this worker; the compute counts
 * itself with INCR and returns who computed it, so the parent can tell whether every caller in every
 * process got the one computed value.
 */
export const getOrComputeJob: WorkerJob = async (context, params) => {
  const p = params as GetOrComputeJobParams;
  const { redis, workerIndex, workerCount } = context;
  const service = p.readyKey === undefined ? redis : countingLeaseSteps(context, p.readyKey);
  const compute = async () => {
    const run = await redis.incr(p.counterKey);
    if (p.readyKey !== undefined) await allWorkersReady(context, p.readyKey, workerCount);
    await new Promise((resolve) => setTimeout(resolve, p.computeMs));
    if (p.failWith !== undefined) throw new Error(p.failWith);
    return { worker: workerIndex, run };
  };
  const settled = await Promise.allSettled(
    Array.from({ length: p.calls }, () =>
      service.getOrCompute(p.key, compute, {
        ttlMs: p.ttlMs,
        lockTtlMs: p.lockTtlMs,
        waitTimeoutMs: p.waitTimeoutMs,
      }),
    ),
  );
  if (service !== redis) await service.close();
  const values = new Set<string>();
  const errors = new Set<string>();
  let fulfilled = 0;
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') {
      fulfilled++;
      values.add(JSON.stringify(outcome.value));
    } else {
      const reason = outcome.reason as unknown;
      // The computing process sees its own Error, the others a CacheComputeError: the message is shared.
      errors.add(reason instanceof Error ? reason.message : String(reason));
    }
  }
  const result: GetOrComputeJobResult = { fulfilled, values: [...values], errors: [...errors] };
  return result;
};

/**
 * A service over the worker's driver that INCRs `readyKey` once, when the first reply of the
 * lease script (`['own']` or `['wait', holder, ms]`) arrives: from then on this worker's callers
 * share a flight that owns the lease or waits on its holder. Closing it leaves the driver open.
 */
function countingLeaseSteps(context: WorkerJobContext, readyKey: string): RedisService {
  let counted = false;
  const driver = wrapDriver(context.driver, {
    reply: (reply) => {
      if (!counted && Array.isArray(reply) && (reply[0] === 'own' || reply[0] === 'wait')) {
        counted = true;
        void context.redis.incr(readyKey).catch(() => {});
      }
      return reply;
    },
    close: () => Promise.resolve(),
  });
  return new RedisService(driver, {
    keyPrefix: context.prefix,
    commandTimeoutMs: context.commandTimeoutMs,
  });
}

/** The longest the compute waits for the other workers: a hang guard, not a margin. */
const READY_GUARD_MS = 60_000;

async function allWorkersReady(context: WorkerJobContext, readyKey: string, count: number): Promise<void> {
  const guard = performance.now() + READY_GUARD_MS;
  while (Number((await context.redis.get(readyKey)) ?? 0) < count) {
    if (performance.now() > guard)
      throw new Error(`not every worker reached the lease within ${READY_GUARD_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
