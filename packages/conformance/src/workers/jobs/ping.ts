import type { WorkerJob } from '../worker-job.js';

/**
 * The pool's own smoke test: answers with the worker's index, its pid and the server's PING
 * reply, and counts itself in the `worker-pings` key (under the pool's prefix).
 */
export const pingJob: WorkerJob = async ({ redis, workerIndex }) => ({
  workerIndex,
  pid: process.pid,
  reply: await redis.command(['PING']),
  pings: await redis.incr('worker-pings'),
});
