import { RedisConnectionError } from '../errors/redis-error.js';
import { unrefTimer } from '../util/unref-timer.js';
import { pingWithin } from './ping-within.js';

// Read once: in Node `performance` is a lazy global getter.
const clock: { now(): number } = globalThis.performance ?? Date;

/** Options of a `ConnectionKeepAlive`. */
export interface ConnectionKeepAliveOptions {
  /**
   * How long the connection may go without receiving anything before it is pinged, in
   * milliseconds. `0` disables the keep-alive.
   */
  readonly idleMs: number;
  /** How long a ping may go unanswered before the connection is given up, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Sends one ping on the watched connection and settles with its answer (see `pingWithin`: an
   * error reply is an answer, a `RedisTimeoutError` is none, and any other rejection, a
   * connection the driver knows is down and reconnects, lets the next ping decide).
   */
  readonly ping: () => Promise<unknown>;
  /** The ping went unanswered: drop the connection and make a new one. */
  readonly onUnanswered: (reason: RedisConnectionError) => void;
  /** What the connection is, for the reason's message (e.g. `the subscriber connection to host:port`). */
  readonly describe: string;
}

/**
 * Watches a connection that may legitimately receive nothing for a long time (a subscriber
 * waiting for messages), so that one whose peer vanished without a FIN or RST is noticed: after
 * `idleMs` with nothing received, it is pinged, and a ping unanswered within `timeoutMs` hands the
 * connection to `onUnanswered`. Traffic counts as proof of life (`received()`), so a busy
 * connection is never pinged. A connection that died is noticed within `idleMs + timeoutMs`.
 *
 * Core holds it so every adapter watches its subscriber the same way; the adapter owns the
 * connection, the ping and the replacement.
 */
export class ConnectionKeepAlive {
  readonly #options: ConnectionKeepAliveOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastReceived = clock.now();
  #pinging = false;
  #running = false;

  constructor(options: ConnectionKeepAliveOptions) {
    this.#options = options;
  }

  /** Starts watching (idempotent); the connection counts as just heard from. */
  start(): void {
    if (this.#running || this.#options.idleMs <= 0) return;
    this.#running = true;
    this.#lastReceived = clock.now();
    this.#arm(this.#options.idleMs);
  }

  /** Stops watching (idempotent). A ping in flight is ignored when it settles. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Something arrived on the connection: it is alive. Cheap enough to call per message. */
  received(): void {
    this.#lastReceived = clock.now();
  }

  #arm(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = unrefTimer(setTimeout(() => this.#tick(), Math.max(1, Math.ceil(delayMs))));
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running || this.#pinging) return;
    const idleFor = clock.now() - this.#lastReceived;
    if (idleFor < this.#options.idleMs) {
      this.#arm(this.#options.idleMs - idleFor);
      return;
    }
    this.#pinging = true;
    void this.#ping().finally(() => {
      this.#pinging = false;
      if (this.#running) this.#arm(this.#options.idleMs);
    });
  }

  async #ping(): Promise<void> {
    const { idleMs, timeoutMs, describe } = this.#options;
    const outcome = await pingWithin(this.#options.ping, timeoutMs);
    if (!this.#running) return;
    if (outcome === 'answered') this.received();
    if (outcome !== 'unanswered') return;
    this.#lastReceived = clock.now();
    this.#options.onUnanswered(
      new RedisConnectionError(
        `${describe} was replaced: it looks half-open (nothing received for ${idleMs} ms, and a PING got no answer within ${timeoutMs} ms)`,
      ),
    );
  }
}
