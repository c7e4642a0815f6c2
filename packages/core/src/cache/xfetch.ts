/** The inputs of one XFetch decision. */
export interface XFetchInput {
  /** How long the last compute took (ms): the "delta" stored with the value. */
  readonly deltaMs: number;
  /** When the value stops being fresh (epoch ms). */
  readonly expiresAt: number;
  /** Now (epoch ms). */
  readonly now: number;
  /** > 1 refreshes earlier, < 1 later; 1 is the paper's optimum. */
  readonly beta: number;
  /** A uniform random number in (0, 1]; 0 is treated as the smallest positive double. */
  readonly random: number;
}

/**
 * Probabilistic early expiration (Vattani, Chierichetti, Lowenstein: "Optimal Probabilistic Cache
 * Stampede Prevention", VLDB 2015): refresh when `now - delta * beta * ln(random) >= expiry`.
 * Because `-ln(random)` is exponentially distributed, refreshes spread out before the expiry in
 * proportion to how long a compute takes, instead of all callers missing at the same instant.
 */
export function xfetchShouldRefresh(input: XFetchInput): boolean {
  const random = input.random > 0 ? Math.min(input.random, 1) : Number.MIN_VALUE;
  return input.now - input.deltaMs * input.beta * Math.log(random) >= input.expiresAt;
}
