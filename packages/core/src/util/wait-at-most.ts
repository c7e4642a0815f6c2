import { unrefTimer } from './unref-timer.js';

/**
 * Waits for `promise` to settle, but no longer than `ms` (`0`: as long as it takes). Never
 * rejects: for best-effort steps (releasing a subscription) that must not hold their caller up.
 */
export function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  const settled = promise.then(
    () => {},
    () => {},
  );
  if (ms <= 0) return settled;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = unrefTimer(setTimeout(resolve, ms));
  });
  return Promise.race([settled, bound]).finally(() => clearTimeout(timer));
}
