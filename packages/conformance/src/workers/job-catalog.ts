import { gatedComputeJob } from './jobs/gated-compute.js';
import { getOrComputeJob } from './jobs/get-or-compute.js';
import { pingJob } from './jobs/ping.js';
import { rateLimitBurstJob } from './jobs/rate-limit-burst.js';
import { streamDrainJob } from './jobs/stream-drain.js';
import { streamHoldJob } from './jobs/stream-hold.js';
import { watchIncrementJob } from './jobs/watch-increment.js';
import type { WorkerJob } from './worker-job.js';

/**
 * Every job a worker process can run, by name. The catalog is static on purpose: a worker is a
 * fresh process, so a job must be importable there, not registered at runtime in the parent.
 * To add a job, write it under `./jobs/` and add one line here.
 */
export const workerJobs: Readonly<Record<string, WorkerJob>> = {
  ping: pingJob,
  'get-or-compute/stampede': getOrComputeJob,
  'get-or-compute/gated': gatedComputeJob,
  'rate-limit/burst': rateLimitBurstJob,
  'watch/increment': watchIncrementJob,
  'stream/drain': streamDrainJob,
  'stream/hold': streamHoldJob,
};
