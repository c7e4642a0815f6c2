import { RedisTimeoutError } from '../errors/redis-error.js';
import type { DedicatedConnection } from '../port/dedicated.js';

/**
 * Runs `call` on a dedicated connection with a deadline of `timeoutMs` (`0`: none). Past it the
 * call rejects with `RedisTimeoutError` and the connection is closed, since a reply is still owed
 * on it and the next command would read that one instead of its own.
 */
export function withinDeadline<T>(
  connection: DedicatedConnection,
  timeoutMs: number,
  describe: string,
  call: () => Promise<T>,
): Promise<T> {
  const running = call();
  if (timeoutMs <= 0) return running;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RedisTimeoutError(`${describe}: no reply within ${timeoutMs} ms`, timeoutMs));
      void connection.close();
    }, timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    running.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
