import { type RedisError, RedisReplyError, RedisSerializationError } from '../errors/redis-error.js';
import { execNilError } from '../port/dedicated.js';
import type { BatchItemResult, RedisReply } from '../port/reply.js';

/**
 * How one command of a batch settled, as the driver reported it: the standard shape of
 * `Promise.allSettled`, so a driver that gives a promise per command needs no conversion
 * (`await Promise.allSettled(sent)`), and one that gives error-first pairs converts them with
 * `settledFromErrorFirst`.
 */
export type CommandOutcome = PromiseSettledResult<unknown>;

/** How an adapter reads one raw reply and maps one error, for the command they belong to. */
export interface BatchReader {
  /**
   * Normalizes the raw reply to `command` (the name as given in `commands`), the `index`-th of
   * the batch. May throw: the command then fails with `mapError` of what it threw.
   */
  read(command: string, raw: unknown, index: number): RedisReply;
  /**
   * Maps what the driver reported for `command` (a name from `commands`, or `MULTI` / `EXEC`)
   * onto core's classes. A `RedisReplyError` stays with its command; anything else (a lost
   * connection, a timeout) rejects the whole batch.
   */
  mapError(error: unknown, command: string): RedisError;
}

/**
 * Turns the outcomes of a plain pipeline into one result per command, in order. A command's own
 * error reply stays with that command; any other failure (lost connection, timeout) means the
 * batch could not be sent or read, and is thrown for the batch as a whole.
 *
 * @param commands the command names, one per command of the batch
 * @param outcomes how each command settled, in the same order
 * @throws RedisSerializationError when there is not exactly one outcome per command
 */
export function pipelineResults(
  commands: readonly string[],
  outcomes: readonly CommandOutcome[],
  reader: BatchReader,
): BatchItemResult[] {
  if (outcomes.length !== commands.length) throw countMismatch(outcomes.length, commands.length);
  const errors = outcomes.map((outcome, index) => errorOf(outcome, commands[index]!, reader));
  throwIfNotReplyError(errors);
  return outcomes.map((outcome, index) => {
    const error = errors[index];
    return error ? { ok: false, error } : readItem(reader, commands, index, settledValue(outcome));
  });
}

/**
 * Turns the outcomes of `MULTI`, each queued command and `EXEC` (sent in that order, on one
 * connection, with nothing else in between) into one result per queued command:
 *
 * - EXEC's array gives each command its reply, or its own run-time error (e.g. WRONGTYPE);
 * - when the server refused a command at queue time (a wrong arity, an unknown command), EXEC
 *   answers EXECABORT: the refused command gets the error it was refused with, every other one
 *   the EXECABORT error, and nothing ran;
 * - a nil EXEC (a WATCHed key changed) gives every command the error `execNilError()` makes,
 *   which core recognises as a conflict.
 *
 * A failure that is not an error reply (MULTI refused by the connection, a lost connection, a
 * timeout) is thrown for the batch as a whole, as is an EXEC reply of the wrong length.
 *
 * @param commands the queued commands' names (without MULTI and EXEC)
 * @param outcomes MULTI's, then one per queued command, then EXEC's
 */
export function transactionResults(
  commands: readonly string[],
  outcomes: readonly CommandOutcome[],
  reader: BatchReader,
): BatchItemResult[] {
  const count = commands.length;
  if (outcomes.length !== count + 2) throw countMismatch(outcomes.length, count + 2);
  const multiError = errorOf(outcomes[0]!, 'MULTI', reader);
  if (multiError) throw multiError;
  const queueErrors = commands.map((command, index) => errorOf(outcomes[index + 1]!, command, reader));
  throwIfNotReplyError(queueErrors);
  const exec = outcomes[count + 1]!;
  const execError = errorOf(exec, 'EXEC', reader);
  if (execError) {
    if (!(execError instanceof RedisReplyError)) throw execError;
    return queueErrors.map((error) => ({ ok: false, error: error ?? execError }));
  }
  const replies = settledValue(exec);
  if (replies === null) {
    return commands.map(() => ({ ok: false, error: execNilError() }));
  }
  if (!Array.isArray(replies) || replies.length !== count) {
    throw new RedisSerializationError(
      `EXEC answered a transaction of ${count} commands with ${Array.isArray(replies) ? replies.length : typeof replies} replies`,
    );
  }
  return replies.map((raw: unknown, index) =>
    raw instanceof Error
      ? { ok: false, error: reader.mapError(raw, commands[index]!) }
      : readItem(reader, commands, index, raw),
  );
}

/**
 * Converts error-first pairs (`[error, result]`, as ioredis' and iovalkey's `pipeline.exec()`
 * resolve) into `CommandOutcome`s. `null` (what those clients give for a pipeline they did not
 * run) becomes no outcomes, which the result functions refuse as a count mismatch.
 */
export function settledFromErrorFirst(
  pairs: readonly (readonly [error: unknown, result: unknown])[] | null | undefined,
): CommandOutcome[] {
  return (pairs ?? []).map(([error, value]) =>
    error ? { status: 'rejected', reason: error } : { status: 'fulfilled', value },
  );
}

function errorOf(outcome: CommandOutcome, command: string, reader: BatchReader): RedisError | undefined {
  return outcome.status === 'rejected' ? reader.mapError(outcome.reason, command) : undefined;
}

function settledValue(outcome: CommandOutcome): unknown {
  return outcome.status === 'fulfilled' ? outcome.value : undefined;
}

function readItem(
  reader: BatchReader,
  commands: readonly string[],
  index: number,
  raw: unknown,
): BatchItemResult {
  const command = commands[index]!;
  try {
    return { ok: true, value: reader.read(command, raw, index) };
  } catch (error) {
    return { ok: false, error: reader.mapError(error, command) };
  }
}

function throwIfNotReplyError(errors: readonly (RedisError | undefined)[]): void {
  const fatal = errors.find((error) => error !== undefined && !(error instanceof RedisReplyError));
  if (fatal) throw fatal;
}

function countMismatch(got: number, expected: number): RedisSerializationError {
  return new RedisSerializationError(
    `the driver returned ${got} results for a batch of ${expected} commands`,
  );
}
