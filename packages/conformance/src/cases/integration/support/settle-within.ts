/** How a promise ended, or that it did not end in time. */
export type Settlement =
  | { readonly status: 'resolved'; readonly value: unknown }
  | { readonly status: 'rejected'; readonly error: unknown }
  | { readonly status: 'hung' };

/** Waits for `promise` for at most `ms`; a promise that never settles is reported, not waited on forever. */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<Settlement> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<Settlement>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'hung' }), ms);
  });
  const outcome = promise.then(
    (value): Settlement => ({ status: 'resolved', value }),
    (error: unknown): Settlement => ({ status: 'rejected', error }),
  );
  return Promise.race([outcome, guard]).finally(() => clearTimeout(timer));
}
