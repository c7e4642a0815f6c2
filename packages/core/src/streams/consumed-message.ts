import type { RedisStreamEntryError } from './stream-entry-error.js';

/** What every message a consumer hands out has. */
export interface StreamMessageBase {
  /** The stream, without the key prefix. */
  readonly stream: string;
  readonly group: string;
  /** The consumer it was delivered to. */
  readonly consumer: string;
  readonly id: string;
  /** The entry's raw fields. */
  readonly fields: Record<string, string>;
  /**
   * How many times the entry was delivered, this time included: 1 for a first delivery, more when
   * it was claimed from another consumer or re-read after a restart.
   */
  readonly deliveryCount: number;
  /**
   * Acknowledges the entry (XACK): it leaves the pending list and is never delivered again.
   * Resolves with `true` when this call acknowledged it, `false` when it was no longer pending
   * (acknowledged or dead-lettered elsewhere). Idempotent: a second call returns the first one's
   * promise and sends nothing; after a failure (a lost connection) it may be called again.
   */
  ack(): Promise<boolean>;
  /**
   * Moves the entry to the consumer's `deadLetterStream` now (see `ConsumeOptions`), recording
   * `reason` (default `rejected`; a reason that is not a non-empty, well-formed string rejects
   * with `RedisValidationError` and moves nothing). Resolves like `ack`; after `ack` it resolves
   * with `false` and sends nothing, and the other way round.
   */
  deadLetter(reason?: string): Promise<boolean>;
}

/** A message whose entry was decoded (always, for a consumer of raw fields: `value` is `fields`). */
export interface StreamMessage<T> extends StreamMessageBase {
  readonly ok: true;
  readonly value: T;
  readonly error?: undefined;
}

/**
 * A message whose entry could not be decoded as JSON or failed the schema. It is handed out
 * rather than thrown, so one poison entry never stops the consumer: acknowledge it, move it with
 * `deadLetter()`, or leave it pending (it is redelivered, and after `maxDeliveries` moved to the
 * dead-letter stream by the consumer itself).
 */
export interface UndecodableStreamMessage extends StreamMessageBase {
  readonly ok: false;
  readonly value?: undefined;
  /** Names the stream and the entry's id, with what was wrong (`issues`). */
  readonly error: RedisStreamEntryError;
}

/** What a consumer of JSON or model entries hands out: check `ok` (or `error`) before `value`. */
export type ConsumedMessage<T> = StreamMessage<T> | UndecodableStreamMessage;

/** How a message reaches its consumer to settle. @internal */
export interface MessageHost {
  acknowledge(id: string): Promise<boolean>;
  deadLetter(id: string, reason: string): Promise<boolean>;
  /** The message was settled (either way) or failed to; `done` tells whether it is settled. */
  settled(id: string, done: boolean): void;
}

const DEFAULT_REASON = 'rejected';

/** One delivered entry, settled at most once (ack or dead-letter). @internal */
export class DeliveredMessage implements StreamMessageBase {
  readonly ok: boolean;
  readonly value: unknown;
  readonly error: RedisStreamEntryError | undefined;
  readonly #host: MessageHost;
  #settling: { readonly how: 'ack' | 'dead-letter'; readonly outcome: Promise<boolean> } | undefined;

  constructor(
    host: MessageHost,
    readonly stream: string,
    readonly group: string,
    readonly consumer: string,
    readonly id: string,
    readonly fields: Record<string, string>,
    readonly deliveryCount: number,
    decoded: { readonly value: unknown } | { readonly error: RedisStreamEntryError },
  ) {
    this.#host = host;
    this.ok = 'value' in decoded;
    this.value = 'value' in decoded ? decoded.value : undefined;
    this.error = 'error' in decoded ? decoded.error : undefined;
  }

  ack(): Promise<boolean> {
    return this.#settle('ack', () => this.#host.acknowledge(this.id));
  }

  deadLetter(reason: string = DEFAULT_REASON): Promise<boolean> {
    return this.#settle('dead-letter', () => this.#host.deadLetter(this.id, reason));
  }

  #settle(how: 'ack' | 'dead-letter', send: () => Promise<boolean>): Promise<boolean> {
    const current = this.#settling;
    if (current) return current.how === how ? current.outcome : current.outcome.then(() => false);
    const outcome = send().then(
      (settled) => {
        this.#host.settled(this.id, true);
        return settled;
      },
      (error: unknown) => {
        // Nothing is known to have changed: let the caller try again.
        this.#settling = undefined;
        this.#host.settled(this.id, false);
        throw error;
      },
    );
    this.#settling = { how, outcome };
    return outcome;
  }
}
