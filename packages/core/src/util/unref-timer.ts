/**
 * Lets the process exit while `timer` is pending (Node's `unref`; a no-op where timers are plain
 * numbers, as on edge runtimes): a timer that only watches a connection must never keep a process
 * alive on its own. Returns the timer.
 */
export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
