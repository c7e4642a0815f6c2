/** The throughput sampler shared by every throughput scenario. */
import { ownCpuMicros, processCpuMicros } from './cpu-time.js';

/** One operation of a workload; `i` counts operations within a sample. */
export type Operation = (i: number) => Promise<unknown>;

/** One sample: operations per second, and the CPU each operation cost this process and redis-server. */
export interface Sample {
  readonly opsPerSecond: number;
  /** µs of this process's CPU per operation (the client; for REST contenders, the bridge too). */
  readonly clientCpuPerOp: number;
  /** µs of redis-server's CPU per operation (NaN where it cannot be read). */
  readonly serverCpuPerOp: number;
}

/**
 * Runs `operation` from `concurrency` callers for about `durationMs` and measures operations per
 * second: every caller loops until the deadline and finishes the operation it has started, and
 * the time runs until the last one has. Time-boxed rather than a fixed count, so a slow
 * contender (a REST bridge at one caller) costs the run no more than a fast one.
 */
export async function sampleThroughput(
  operation: Operation,
  concurrency: number,
  durationMs: number,
  serverPid?: number,
): Promise<Sample> {
  let stop = false;
  let next = 0;
  const timer = setTimeout(() => {
    stop = true;
  }, durationMs);
  const client = ownCpuMicros();
  const server = processCpuMicros(serverPid);
  const started = performance.now();
  const caller = async (): Promise<void> => {
    while (!stop) await operation(next++);
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, caller));
  } finally {
    clearTimeout(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    opsPerSecond: next / seconds,
    clientCpuPerOp: (ownCpuMicros() - client) / next,
    serverCpuPerOp: (processCpuMicros(serverPid) - server) / next,
  };
}
