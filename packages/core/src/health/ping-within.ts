import { RedisReplyError, RedisTimeoutError } from '../errors/redis-error.js';
import { unrefTimer } from '../util/unref-timer.js';

/**
 * How a ping with a deadline went: `answered` (any answer, an error reply included), `unanswered`
 * (nothing within the deadline, or the driver's own timeout: the same silence), or `down` (it
 * failed otherwise: the connection is known lost and its driver reconnects by itself).
 */
export type PingOutcome = 'answered' | 'unanswered' | 'down';

/** Sends `ping()` and tells, within `timeoutMs` at most, whether the connection answered it. */
export async function pingWithin(ping: () => Promise<unknown>, timeoutMs: number): Promise<PingOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<PingOutcome>((resolve) => {
    // On a stalled event loop the deadline timer runs before the socket's pending data is read:
    // the answer may be sitting there already. One more turn lets it in before concluding.
    timer = unrefTimer(
      setTimeout(() => {
        timer = unrefTimer(setTimeout(() => resolve('unanswered'), 0));
      }, timeoutMs),
    );
  });
  let pinged: Promise<unknown>;
  try {
    pinged = ping();
  } catch (error) {
    pinged = Promise.reject(error);
  }
  const answer = pinged.then(
    (): PingOutcome => 'answered',
    (error: unknown): PingOutcome => {
      if (error instanceof RedisTimeoutError) return 'unanswered';
      return error instanceof RedisReplyError ? 'answered' : 'down';
    },
  );
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
