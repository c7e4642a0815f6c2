import { RedisCapabilityError, RedisReplyError } from '../errors/redis-error.js';
import type { ServiceCore } from '../service/service-core.js';

/** Whether a reply error means the server does not know the command (no search module). */
function isUnknownCommand(error: unknown): boolean {
  return error instanceof RedisReplyError && /^ERR unknown command/i.test(error.message);
}

/**
 * Whether the server behind one service has RediSearch. A driver that declares `search: true` or
 * `false` is believed; `'detect'` sends `FT._LIST` once and remembers the answer (an
 * `ERR unknown command` reply means no module). A failure other than that answer (a timeout, a
 * lost connection) is not remembered, so the next call asks again.
 */
export class SearchSupport {
  readonly #core: ServiceCore;
  #detected: Promise<boolean> | undefined;

  /** @param core the service whose driver and executor detection uses */
  constructor(core: ServiceCore) {
    this.#core = core;
  }

  /** Resolves true when the server can run FT.* commands. */
  available(): Promise<boolean> {
    const declared = this.#core.driver.capabilities.search;
    if (declared !== 'detect') return Promise.resolve(declared === true);
    if (!this.#detected) {
      const detection = this.#core.send(['FT._LIST'], false).then(
        () => true,
        (error: unknown) => {
          if (isUnknownCommand(error)) return false;
          this.#detected = undefined;
          throw error;
        },
      );
      this.#detected = detection;
    }
    return this.#detected;
  }

  /** Resolves when search is available; rejects with `RedisCapabilityError` when it is not. */
  async require(what: string): Promise<void> {
    if (await this.available()) return;
    const declared = this.#core.driver.capabilities.search;
    throw new RedisCapabilityError(
      'search',
      this.#core.driver.name,
      declared === 'detect'
        ? `${what} (the server has no search module: FT._LIST is an unknown command)`
        : what,
    );
  }
}
