import { withinDeadline } from '../blocking/within-deadline.js';
import { RedisCommands } from '../commands/redis-commands.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { DedicatedConnection } from '../port/dedicated.js';
import type { RedisCommand, RedisReply } from '../port/reply.js';
import { type BatchBuilder, type RecordedBatch, recordBatch } from '../service/batch.js';
import type { ServiceCore } from '../service/service-core.js';

/**
 * What a `watch` callback returns: the MULTI/EXEC it wants to commit, recorded and checked but
 * not sent yet. Made by `tx.multi(...)`.
 */
export class WatchCommit<T extends readonly Promise<unknown>[]> {
  /** @internal */
  readonly transaction: WatchTransaction;
  /** @internal */
  readonly batch: RecordedBatch<T>;

  /** @internal */
  constructor(transaction: WatchTransaction, batch: RecordedBatch<T>) {
    this.transaction = transaction;
    this.batch = batch;
  }
}

/**
 * The `tx` handed to a `watch` callback: every typed command of the service, sent on the
 * transaction's own dedicated connection after WATCH (so reads see the watched keys as EXEC will
 * judge them), plus `watch` for more keys and `multi` for the commit. It is valid only until the
 * callback's promise settles, and reads only until `multi` was called.
 */
export class WatchTransaction extends RedisCommands {
  readonly #connection: DedicatedConnection;
  readonly #timeoutMs: number;
  #state: 'reading' | 'committing' | 'over' = 'reading';
  /** Which attempt this is: 1 on the first run of the callback, 2 after one conflict, ... */
  readonly attempt: number;

  /** @internal */
  constructor(core: ServiceCore, connection: DedicatedConnection, attempt: number) {
    super(core);
    this.#connection = connection;
    this.#timeoutMs = core.options.commandTimeoutMs;
    this.attempt = attempt;
  }

  /** WATCHes more keys (e.g. ones a read named), before `multi`. */
  watch(...keys: string[]): Promise<void> {
    return this.call(
      () => {
        if (keys.length === 0) throw new RedisValidationError('watch needs at least one key');
        return ['WATCH', ...this.keys(keys)];
      },
      () => undefined,
    );
  }

  /**
   * Records the commands to commit as one MULTI/EXEC, like `transaction()`'s callback, and returns
   * the commit for the `watch` callback to return. Bad input refuses the whole commit before
   * anything is sent. The commit applies only if no watched key changed since it was watched;
   * otherwise the callback runs again (see `WatchOptions.maxRetries`).
   */
  multi<T extends readonly Promise<unknown>[]>(build: BatchBuilder<T>): WatchCommit<T> {
    if (this.#state !== 'reading') {
      throw new RedisValidationError('multi() may be called once, inside the watch callback');
    }
    this.#state = 'committing';
    return new WatchCommit(this, recordBatch(this.core, build));
  }

  /** @internal Ends the transaction's life: later calls on it are refused. */
  end(): void {
    this.#state = 'over';
  }

  /** @internal */
  protected override dispatch<T>(
    command: RedisCommand | Promise<RedisCommand>,
    binary: boolean,
    decode: (reply: RedisReply) => T | PromiseLike<T>,
  ): Promise<T> {
    if (this.#state !== 'reading') {
      return Promise.reject(
        new RedisValidationError(
          this.#state === 'over'
            ? 'the watch transaction is over: its commands must be called inside the callback'
            : 'commands after multi() are not sent: queue them inside multi()',
        ),
      );
    }
    const send = (built: RedisCommand): Promise<T> => {
      if (binary) this.core.require('binary', 'reading a value as bytes');
      else this.core.refuseBytesUnlessBinary(built);
      const connection = this.#connection;
      return withinDeadline(connection, this.#timeoutMs, this.core.describe, () =>
        connection.send(built, binary ? { binary } : undefined),
      ).then(decode);
    };
    if (command instanceof Promise) return command.then(send);
    try {
      return send(command);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
