export { startCaseWorkers } from './case-workers.js';
export { workerJobs } from './job-catalog.js';
export type { WorkerJob, WorkerJobContext } from './worker-job.js';
export { WorkerJobError, WorkerPool, type WorkerPoolOptions, workerSkipReason } from './worker-pool.js';
