import type { WorkerJob } from '../worker-job.js';

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
export const getOrComputeJob: WorkerJob = async ({ redis, workerIndex }, params) => {
  const p = params as GetOrComputeJobParams;
  const compute = async () => {
    const run = await redis.incr(p.counterKey);
    await new Promise((resolve) => setTimeout(resolve, p.computeMs));
    if (p.failWith !== undefined) throw new Error(p.failWith);
    return { worker: workerIndex, run };
  };
  const settled = await Promise.allSettled(
    Array.from({ length: p.calls }, () =>
      redis.getOrCompute(p.key, compute, {
        ttlMs: p.ttlMs,
        lockTtlMs: p.lockTtlMs,
        waitTimeoutMs: p.waitTimeoutMs,
      }),
    ),
  );
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
