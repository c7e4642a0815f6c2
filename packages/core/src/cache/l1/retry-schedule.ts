import { unrefTimer } from './monotonic.js';

/** First and longest pause before a coherence connection is tried again after a failure (ms). */
export const RETRY_FIRST_MS = 100;
/** See `RETRY_FIRST_MS`. */
export const RETRY_MAX_MS = 5000;

/**
 * When a coherence tries its connection again after a failed attempt: 100 ms, doubling to 5 s,
 * back to 100 ms after a success. The timer does not hold a Node process open.
 */
export class RetrySchedule {
  #delayMs = RETRY_FIRST_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Runs `attempt` after the next pause (replacing one already scheduled). */
  schedule(attempt: () => void): void {
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, RETRY_MAX_MS);
    this.cancel();
    this.#timer = unrefTimer(
      setTimeout(() => {
        this.#timer = undefined;
        attempt();
      }, delay),
    );
  }

  /** An attempt worked: the next failure waits the first pause again. */
  succeeded(): void {
    this.#delayMs = RETRY_FIRST_MS;
  }

  /** Drops the scheduled attempt, if any. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
