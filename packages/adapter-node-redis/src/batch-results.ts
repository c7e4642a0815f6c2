import {
  type BatchItemResult,
  execNilError,
  type RedisError,
  type RedisReply,
  RedisReplyError,
  RedisSerializationError,
} from '@redis-service/core';
import type { NodeRedisClient, NodeRedisCommandOptions } from './node-redis-client.js';
import { REPLY_TYPE_MAPPING } from './normalize-reply.js';

/** How one `sendCommand` of a batch settled: node-redis' raw reply, or what it rejected with. */
export type CommandOutcome =
  | { readonly ok: true; readonly raw: unknown }
  | { readonly ok: false; readonly error: unknown };

/** How the driver reads one raw reply and maps one error, for the command at `index` of the batch. */
export interface BatchReader {
  /** Normalizes the raw reply to command `index`. May throw a `RedisError`. */
  read(index: number, raw: unknown): RedisReply;
  /** Maps a node-redis error (or a nested error reply) met by a command. */
  mapError(error: unknown): RedisError;
}

/**
 * Sends the commands on `client` as one node-redis chain (one write, one round trip, never resent
 * half on another connection), MULTI and EXEC around them for a transaction, and resolves with one
 * result per command (see `pipelineResults` and `transactionResults`).
 */
export function sendBatch(
  client: Pick<NodeRedisClient, 'sendCommand'>,
  encoded: readonly (readonly (string | Buffer)[])[],
  transaction: boolean,
  reader: BatchReader,
): Promise<BatchItemResult[]> {
  const chain: NodeRedisCommandOptions = {
    typeMapping: REPLY_TYPE_MAPPING,
    chainId: Symbol('redis-service batch'),
  };
  const sent: Promise<unknown>[] = [];
  // All in one synchronous run: nothing else can enter the chain between MULTI and EXEC.
  if (transaction) sent.push(client.sendCommand(['MULTI'], chain));
  for (const args of encoded) sent.push(client.sendCommand(args, chain));
  if (transaction) sent.push(client.sendCommand(['EXEC'], chain));
  return settleAll(sent).then((outcomes) =>
    transaction ? transactionResults(outcomes, reader) : pipelineResults(outcomes, reader),
  );
}

/** Waits for every promise and records how each settled, never rejecting. */
export function settleAll(promises: readonly Promise<unknown>[]): Promise<CommandOutcome[]> {
  return Promise.all(
    promises.map((promise) =>
      promise.then(
        (raw): CommandOutcome => ({ ok: true, raw }),
        (error: unknown): CommandOutcome => ({ ok: false, error }),
      ),
    ),
  );
}

/**
 * Turns the outcomes of a plain pipeline into one result per command. A command's own error reply
 * stays with that command; any other failure (lost connection, timeout) means the batch could not
 * be sent or read, and rejects it as a whole.
 */
export function pipelineResults(outcomes: readonly CommandOutcome[], reader: BatchReader): BatchItemResult[] {
  const errors = outcomes.map((outcome) => (outcome.ok ? undefined : reader.mapError(outcome.error)));
  throwIfNotReplyError(errors);
  return outcomes.map((outcome, index) => {
    const error = errors[index];
    return error ? { ok: false, error } : readItem(reader, index, outcome.ok ? outcome.raw : null);
  });
}

/**
 * Turns the outcomes of `MULTI`, the queued commands and `EXEC` into one result per queued command:
 *
 * - EXEC's array gives each command its reply, or its own run-time error (e.g. WRONGTYPE);
 * - when the server refused the transaction at queue time (EXECABORT, e.g. a wrong arity), the
 *   refused command gets the error it was refused with, and every other one the EXECABORT error;
 * - a nil EXEC (a WATCHed key changed) gives every command an EXECABORT error.
 *
 * Failures that are not error replies reject the whole batch, as for a pipeline.
 *
 * @param outcomes MULTI's, then one per queued command, then EXEC's
 */
export function transactionResults(
  outcomes: readonly CommandOutcome[],
  reader: BatchReader,
): BatchItemResult[] {
  const count = outcomes.length - 2;
  const multi = outcomes[0]!;
  const exec = outcomes[count + 1]!;
  if (!multi.ok) throw reader.mapError(multi.error);
  const queueErrors = outcomes
    .slice(1, count + 1)
    .map((outcome) => (outcome.ok ? undefined : reader.mapError(outcome.error)));
  throwIfNotReplyError(queueErrors);
  if (!exec.ok) {
    const aborted = reader.mapError(exec.error);
    if (!(aborted instanceof RedisReplyError)) throw aborted;
    return queueErrors.map((error) => ({ ok: false, error: error ?? aborted }));
  }
  if (exec.raw === null) {
    const error = execNilError();
    return queueErrors.map(() => ({ ok: false, error }));
  }
  const replies = exec.raw;
  if (!Array.isArray(replies) || replies.length !== count) {
    throw new RedisSerializationError(
      `EXEC answered a transaction of ${count} commands with ${Array.isArray(replies) ? replies.length : typeof replies} replies`,
    );
  }
  return replies.map((raw: unknown, index) =>
    raw instanceof Error ? { ok: false, error: reader.mapError(raw) } : readItem(reader, index, raw),
  );
}

function readItem(reader: BatchReader, index: number, raw: unknown): BatchItemResult {
  try {
    return { ok: true, value: reader.read(index, raw) };
  } catch (error) {
    return { ok: false, error: reader.mapError(error) };
  }
}

function throwIfNotReplyError(errors: readonly (RedisError | undefined)[]): void {
  const fatal = errors.find((error) => error !== undefined && !(error instanceof RedisReplyError));
  if (fatal) throw fatal;
}
