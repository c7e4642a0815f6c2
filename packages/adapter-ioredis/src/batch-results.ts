import {
  type BatchItemResult,
  execNilError,
  type RedisError,
  type RedisReply,
  RedisReplyError,
  RedisSerializationError,
} from '@redis-service/core';

/** One entry of what ioredis' `pipeline.exec()` resolves with. */
export type PipelineOutcome = [error: Error | null, result: unknown];

/** How the driver reads one raw reply and maps one error, for the command it answers. */
export interface BatchReader {
  /** Normalizes a raw reply to the command named `command` (uppercase). May throw a `RedisError`. */
  read(command: string, raw: unknown): RedisReply;
  /** Maps an ioredis error met by the command named `command`. */
  mapError(error: unknown, command: string): RedisError;
}

/**
 * Turns the outcomes of a plain pipeline into one result per command. A command's own error reply
 * stays with that command; any other failure (lost connection, timeout) means the batch could not
 * be sent or read, and rejects it as a whole.
 */
export function pipelineResults(
  names: readonly string[],
  outcomes: readonly PipelineOutcome[] | null,
  reader: BatchReader,
): BatchItemResult[] {
  if (outcomes?.length !== names.length) throw countMismatch(outcomes?.length ?? 0, names.length);
  const errors = outcomes.map(([error], index) =>
    error ? reader.mapError(error, names[index]!) : undefined,
  );
  throwIfNotReplyError(errors);
  return outcomes.map(([, raw], index) => {
    const error = errors[index];
    return error ? { ok: false, error } : readItem(reader, names[index]!, raw);
  });
}

/**
 * Turns the outcomes of `MULTI`, the queued commands and `EXEC`, sent as one pipeline, into one
 * result per queued command:
 *
 * - EXEC's array gives each command its reply, or its own run-time error (e.g. WRONGTYPE);
 * - when the server refused the transaction at queue time (EXECABORT, e.g. a wrong arity), each
 *   command gets the error it was refused with, and the others EXECABORT;
 * - a nil EXEC (a WATCHed key changed) gives every command an EXECABORT error.
 *
 * Failures that are not error replies reject the whole batch, as for a pipeline.
 */
export function transactionResults(
  names: readonly string[],
  outcomes: readonly PipelineOutcome[] | null,
  reader: BatchReader,
): BatchItemResult[] {
  if (outcomes?.length !== names.length + 2) throw countMismatch(outcomes?.length ?? 0, names.length + 2);
  const [multiError] = outcomes[0]!;
  if (multiError) throw reader.mapError(multiError, 'MULTI');
  const queueErrors = names.map((name, index) => {
    const [error] = outcomes[index + 1]!;
    return error ? reader.mapError(error, name) : undefined;
  });
  throwIfNotReplyError(queueErrors);
  const [execError, execReply] = outcomes[names.length + 1]!;
  if (execError) {
    const aborted = reader.mapError(execError, 'EXEC');
    if (!(aborted instanceof RedisReplyError)) throw aborted;
    return names.map((_, index) => ({ ok: false, error: queueErrors[index] ?? aborted }));
  }
  if (execReply === null) {
    return names.map(() => ({ ok: false, error: execNilError() }));
  }
  if (!Array.isArray(execReply) || execReply.length !== names.length) {
    throw new RedisSerializationError(
      `EXEC answered a transaction of ${names.length} commands with ${Array.isArray(execReply) ? execReply.length : typeof execReply} replies`,
    );
  }
  return execReply.map((raw: unknown, index) => {
    const name = names[index]!;
    return raw instanceof Error
      ? { ok: false, error: reader.mapError(raw, name) }
      : readItem(reader, name, raw);
  });
}

function readItem(reader: BatchReader, name: string, raw: unknown): BatchItemResult {
  try {
    return { ok: true, value: reader.read(name, raw) };
  } catch (error) {
    return { ok: false, error: reader.mapError(error, name) };
  }
}

function throwIfNotReplyError(errors: readonly (RedisError | undefined)[]): void {
  const fatal = errors.find((error) => error !== undefined && !(error instanceof RedisReplyError));
  if (fatal) throw fatal;
}

function countMismatch(got: number, expected: number): RedisSerializationError {
  return new RedisSerializationError(`ioredis returned ${got} results for a batch of ${expected} commands`);
}
