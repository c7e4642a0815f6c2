import type { WorkerJob } from '../worker-job.js';

/** Parameters of `gatedComputeJob`. */
export interface GatedComputeJobParams {
  /** The cached key (under the pool's prefix). */
  readonly key: string;
  readonly ttlMs: number;
  readonly lockTtlMs: number;
  readonly waitTimeoutMs?: number;
  readonly negativeTtlMs?: number;
  /** The compute sets this key as it starts, so the parent sees it running. */
  readonly startedKey: string;
  /** When given, the compute holds on until this key exists (the parent sets it), then settles. */
  readonly gateKey?: string;
  /** What the compute returns... */
  readonly returns?: string;
  /** ...or, when given, the message of the `Error` it throws. */
  readonly failWith?: string;
}

/** What one `getOrCompute` call of `gatedComputeJob` ended with, and whether its compute ran here. */
export interface GatedComputeJobResult {
  readonly computed: boolean;
  readonly outcome:
    | { readonly status: 'fulfilled'; readonly value: unknown }
    | { readonly status: 'rejected'; readonly name: string; readonly message: string };
}

/** The longest a compute waits for its gate: a hang guard, far beyond any case's timeline. */
const GATE_GUARD_MS = 120_000;
const GATE_POLL_MS = 10;

/**
 * One `getOrCompute` call whose compute the parent process releases: it marks `startedKey`, waits
 * for `gateKey`, then returns `returns` or throws `failWith`. The parent orders events across
 * processes with these keys instead of with sleeps, so a busy machine only makes the case slower.
 */
export const gatedComputeJob: WorkerJob = async ({ redis }, params): Promise<GatedComputeJobResult> => {
  const p = params as GatedComputeJobParams;
  let computed = false;
  const compute = async () => {
    computed = true;
    await redis.set(p.startedKey, '1');
    if (p.gateKey !== undefined) {
      const guard = performance.now() + GATE_GUARD_MS;
      while ((await redis.get(p.gateKey)) === null) {
        if (performance.now() > guard) throw new Error(`the gate ${p.gateKey} never opened`);
        await new Promise((resolve) => setTimeout(resolve, GATE_POLL_MS));
      }
    }
    if (p.failWith !== undefined) throw new Error(p.failWith);
    return p.returns ?? null;
  };
  try {
    const value = await redis.getOrCompute(p.key, compute, {
      ttlMs: p.ttlMs,
      lockTtlMs: p.lockTtlMs,
      ...(p.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: p.waitTimeoutMs }),
      ...(p.negativeTtlMs === undefined ? {} : { negativeTtlMs: p.negativeTtlMs }),
    });
    return { computed, outcome: { status: 'fulfilled', value } };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { computed, outcome: { status: 'rejected', name, message } };
  }
};
