/** A monotonic clock in milliseconds (entry deadlines must not move with the wall clock). */
export const monotonic: { now(): number } = globalThis.performance ?? Date;

/** Lets a timer not hold a Node process open; a no-op where timers have no `unref` (edge runtimes). */
export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
