/** The throughput sampler shared by every throughput scenario. */

/** One operation of a workload; `i` counts operations within a sample. */
export type Operation = (i: number) => Promise<unknown>;

/**
 * Runs `operation` from `concurrency` callers for about `durationMs` and returns operations per
 * second: every caller loops until the deadline and finishes the operation it has started, and
 * the time runs until the last one has. Time-boxed rather than a fixed count, so a slow
 * contender (a REST bridge at one caller) costs the run no more than a fast one.
 */
export async function sampleThroughput(
  operation: Operation,
  concurrency: number,
  durationMs: number,
): Promise<number> {
  let stop = false;
  let next = 0;
  const timer = setTimeout(() => {
    stop = true;
  }, durationMs);
  const started = performance.now();
  const caller = async (): Promise<void> => {
    while (!stop) await operation(next++);
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, caller));
  } finally {
    clearTimeout(timer);
  }
  return next / ((performance.now() - started) / 1000);
}
