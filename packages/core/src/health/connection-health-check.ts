import { RedisConnectionError } from '../errors/redis-error.js';
import type { RedisDriver } from '../port/driver.js';
import { pingWithin } from './ping-within.js';

/** Options of a `ConnectionHealthCheck`. */
export interface ConnectionHealthCheckOptions {
  /** How long the PING may take before the connection is reset, in milliseconds; `0` disables checks. */
  readonly timeoutMs: number;
  /** The endpoint, for the reason given to the driver. */
  readonly describe: string;
}

/**
 * Tells a slow server from a dead connection after a command timed out, the same way for every
 * driver: one PING, straight to the driver (no inflight permit, no caller waits for it), with a
 * deadline of its own. An answer of any kind, an error reply included, proves the connection
 * alive; a connection error means the driver already knows it lost it and reconnects by itself.
 * Only a PING that gets nothing at all within the deadline marks the connection half-open (the
 * peer gone without a FIN or RST, which the operating system may not notice for many minutes):
 * the driver is asked to `resetConnection`, which fails what is still in flight on it and
 * connects afresh for the next command.
 *
 * At most one check runs at a time; timeouts reported meanwhile join it. A driver without
 * `resetConnection` is never checked (there would be nothing to do about the answer).
 */
export class ConnectionHealthCheck {
  readonly #driver: RedisDriver;
  readonly #options: ConnectionHealthCheckOptions;
  #running = false;

  constructor(driver: RedisDriver, options: ConnectionHealthCheckOptions) {
    this.#driver = driver;
    this.#options = options;
  }

  /** Whether a check is running now. */
  get running(): boolean {
    return this.#running;
  }

  /** A command timed out: checks the connection unless a check is running already. */
  suspect(): void {
    if (this.#running || this.#options.timeoutMs <= 0) return;
    const reset = this.#driver.resetConnection?.bind(this.#driver);
    if (!reset) return;
    this.#running = true;
    this.#check(reset)
      .catch(() => {}) // a driver's reset must not throw; if it does, the next timeout checks again
      .finally(() => {
        this.#running = false;
      });
  }

  async #check(reset: (reason: Error) => void): Promise<void> {
    const { timeoutMs, describe } = this.#options;
    // 'down': the driver already knows it lost the connection and reconnects by itself.
    if ((await pingWithin(() => this.#driver.send(['PING']), timeoutMs)) !== 'unanswered') return;
    reset(
      new RedisConnectionError(
        `${describe}: the connection was reset: it looks half-open (a command timed out, and a health-check PING got no answer within ${timeoutMs} ms)`,
      ),
    );
  }
}
