/** Summaries of repeated measurements. */
import { SPREAD_LIMIT } from './options.js';

/** One row's rounds, summarised: the median is the figure, min-max the honesty. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / median. */
  readonly spread: number;
  /** Whether the spread exceeds `SPREAD_LIMIT` (the row is marked). */
  readonly noisy: boolean;
  readonly samples: readonly number[];
}

/** The median of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Summarises the samples of one row. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarise');
  const mid = median(samples);
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const spread = mid === 0 ? 0 : (max - min) / mid;
  return { median: mid, min, max, spread, noisy: spread > SPREAD_LIMIT, samples };
}

/** The p-th percentile (nearest rank) of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
