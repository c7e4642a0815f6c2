/** Throughput measurement shared by the benchmarks: fixed work, fixed concurrency, median of rounds. */

/** One operation of a workload; `i` is the operation's index. */
export type Operation = (i: number) => Promise<unknown>;

/** Runs `total` operations with `concurrency` workers and returns operations per second. */
export async function opsPerSecond(
  operation: Operation,
  total: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) await operation(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

/** The median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Measures contenders in interleaved rounds (A B A B ...) so that drift of a shared, noisy machine
 * hits them alike, and returns each one's median ops/s.
 */
export async function compare(
  contenders: Readonly<Record<string, Operation>>,
  options: {
    readonly total: number;
    readonly concurrency: number;
    readonly rounds: number;
    readonly warmup: number;
  },
): Promise<Record<string, number>> {
  const names = Object.keys(contenders);
  for (const name of names) await opsPerSecond(contenders[name]!, options.warmup, options.concurrency);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names)
      samples[name]!.push(await opsPerSecond(contenders[name]!, options.total, options.concurrency));
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name]!)]));
}
