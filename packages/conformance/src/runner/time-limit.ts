/** Thrown when something the kit waits on (a case, a cleanup, a driver's close) did not finish in time. */
export class TimeLimitError extends Error {
  constructor(
    readonly what: string,
    readonly limitMs: number,
  ) {
    super(`${what} did not finish within ${limitMs} ms`);
    this.name = 'TimeLimitError';
  }
}

/**
 * Waits for `work` at most `ms`. A promise that never settles is abandoned, not awaited forever:
 * its later outcome is observed (so a late rejection is not an unhandled one) and ignored.
 */
export function withinTime<T>(
  work: Promise<T> | (() => Promise<T> | T),
  ms: number,
  what: string,
): Promise<T> {
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(typeof work === 'function' ? work() : work);
  } catch (error) {
    return Promise.reject(error);
  }
  promise.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(what, ms)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
