/** CPU time, which a shared machine disturbs far less than wall-clock throughput. */
import { readFileSync } from 'node:fs';

/** CPU time (µs) this process has used, user + system. */
export function ownCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * CPU time (µs) another process's main thread has used, from /proc (Linux) in nanoseconds:
 * redis-server's side of the work (its commands run on the main thread). NaN where /proc is not there.
 */
export function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return Number.NaN;
  }
}
