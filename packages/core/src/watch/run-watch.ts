import { withinDeadline } from '../blocking/within-deadline.js';
import { abortedError } from '../errors/aborted-error.js';
import { RedisClosedError, RedisReplyError, RedisValidationError } from '../errors/redis-error.js';
import { isExecNil } from '../port/dedicated.js';
import type { RedisCommand } from '../port/reply.js';
import { type BatchResults, sendRecordedBatch } from '../service/batch.js';
import type { ServiceCore } from '../service/service-core.js';
import { WatchCommit, WatchTransaction } from './watch-transaction.js';

/** Options of `watch`. */
export interface WatchOptions {
  /**
   * How many times the callback runs again after a conflict (a watched key changed before EXEC)
   * before `watch` gives up with `{ committed: false }`. `0`: one attempt only. Default 10.
   */
  readonly maxRetries?: number;
  /**
   * Stops waiting for a dedicated connection, and stops before the next attempt or commit, when it
   * fires (`RedisAbortedError`). A commit already sent is not taken back.
   */
  readonly signal?: AbortSignal;
}

/** A `watch` callback: reads through `tx`, then returns `tx.multi(...)`. It may run more than once. */
export type WatchBody<T extends readonly Promise<unknown>[]> = (
  tx: WatchTransaction,
) => WatchCommit<T> | Promise<WatchCommit<T>>;

/** How a `watch` ended: committed with one typed result per command, or given up after conflicts. */
export type WatchResult<T extends readonly Promise<unknown>[]> =
  | {
      readonly committed: true;
      /** One `{ ok, value }` / `{ ok: false, error }` per command of the commit, in order. */
      readonly results: BatchResults<T>;
      /** How many times the callback ran. */
      readonly attempts: number;
    }
  | {
      readonly committed: false;
      /** Every attempt met a conflict: `maxRetries + 1`. */
      readonly attempts: number;
    };

/** Default `WatchOptions.maxRetries`. */
export const DEFAULT_WATCH_RETRIES = 10;

/** Thrown inside `runWatch` when EXEC answered nil. */
class Conflict extends Error {}

/**
 * Runs an optimistic transaction on a dedicated connection: WATCH `keys`, run `body` (its reads go
 * on the same connection), send its commit as MULTI/EXEC; on a conflict, run it all again, up to
 * `maxRetries` more times. When `body` throws, the keys are UNWATCHed, the connection goes back to
 * the pool and the error propagates. `keys` arrive prefixed and checked.
 */
export async function runWatch<T extends readonly Promise<unknown>[]>(
  core: ServiceCore,
  keys: readonly string[],
  body: WatchBody<T>,
  options: WatchOptions = {},
): Promise<WatchResult<T>> {
  core.require('blocking', 'a WATCH transaction (it needs a dedicated connection)');
  core.require('transactions', 'a WATCH transaction');
  const maxRetries = options.maxRetries ?? DEFAULT_WATCH_RETRIES;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new RedisValidationError(`maxRetries must be an integer >= 0, got ${String(maxRetries)}`);
  }
  if (keys.length === 0) throw new RedisValidationError('watch needs at least one key');
  if (typeof body !== 'function') throw new RedisValidationError('watch needs a callback');
  if (core.executor.closed) throw new RedisClosedError(`${core.describe} is closed`);
  const { signal } = options;
  const lease = await core.dedicated.acquire(signal);
  const { connection } = lease;
  const send = (command: RedisCommand) =>
    withinDeadline(connection, core.options.commandTimeoutMs, core.describe, () => connection.send(command));
  let reusable = false;
  try {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortedError(signal, `${core.describe}: the caller aborted the watch`);
      await send(['WATCH', ...keys]);
      const tx = new WatchTransaction(core, connection, attempt);
      let commit: WatchCommit<T>;
      try {
        commit = await body(tx);
        if (!(commit instanceof WatchCommit) || commit.transaction !== tx) {
          throw new RedisValidationError('a watch callback must return tx.multi(...) of its own tx');
        }
      } catch (error) {
        tx.end();
        reusable = !connection.isClosed && (await unwatch(send));
        throw error;
      }
      tx.end();
      try {
        const results = await sendRecordedBatch(commit.batch, (commands, binary) =>
          withinDeadline(connection, core.options.commandTimeoutMs, core.describe, async () => {
            if (signal?.aborted) throw abortedError(signal, `${core.describe}: the caller aborted the watch`);
            const items = await connection.batch(commands, { transaction: true, binary });
            if (items.length > 0 && items.every((item) => !item.ok && isExecNil(item.error)))
              throw new Conflict();
            return items;
          }),
        );
        reusable = true;
        return { committed: true, results, attempts: attempt };
      } catch (error) {
        if (!(error instanceof Conflict)) {
          // An aborted or refused commit leaves the keys watched; an EXEC that was sent clears them.
          reusable = await unwatch(send);
          throw error;
        }
        // EXEC answered nil, which also cleared the WATCH: the connection is clean again.
        if (attempt > maxRetries) {
          reusable = true;
          return { committed: false, attempts: attempt };
        }
      }
    }
  } finally {
    lease.release(reusable);
  }
}

/** UNWATCH; whether the connection is still in step (the server answered). */
async function unwatch(send: (command: RedisCommand) => Promise<unknown>): Promise<boolean> {
  try {
    await send(['UNWATCH']);
    return true;
  } catch (error) {
    return error instanceof RedisReplyError;
  }
}
