import { replyAsText } from '../codec/reply-text.js';
import { RedisCommands } from '../commands/redis-commands.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { BatchItemResult, RedisCommand, RedisReply } from '../port/reply.js';
import type { ServiceCore } from './service-core.js';

/** The outcome of one command of a pipeline or transaction: its value, or its own error. */
export type BatchSettled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Error };

/** The typed outcomes of a batch, in the order the callback returned the calls. */
export type BatchResults<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: BatchSettled<Awaited<T[K]>>;
};

/** A batch callback: call typed commands on the recorder and return the calls whose results you want. */
export type BatchBuilder<T extends readonly Promise<unknown>[]> = (batch: RedisCommands) => readonly [...T];

/** One recorded command awaiting its reply. @internal */
export interface Slot {
  readonly command: RedisCommand | Promise<RedisCommand>;
  readonly binary: boolean;
  resolve: (reply: RedisReply) => void;
  reject: (error: unknown) => void;
}

const noop = () => {};

/**
 * Records the typed commands called on it, in call order, instead of sending them.
 * @internal
 */
class BatchRecorder extends RedisCommands {
  readonly slots: Slot[] = [];
  sealed = false;

  /** @internal */
  protected override call<T>(
    build: () => RedisCommand | Promise<RedisCommand>,
    decode: (reply: RedisReply) => T | PromiseLike<T>,
    binary = false,
  ): Promise<T> {
    const result = super.call(build, decode, binary);
    // A command the callback queued but did not return still settles (and may fail); nobody
    // awaits it, so it must not surface as an unhandled rejection.
    result.catch(noop);
    return result;
  }

  /** @internal */
  protected override dispatch<T>(
    command: RedisCommand | Promise<RedisCommand>,
    binary: boolean,
    decode: (reply: RedisReply) => T | PromiseLike<T>,
  ): Promise<T> {
    if (this.sealed) {
      return Promise.reject(
        new RedisValidationError('a pipeline or transaction callback must queue its commands synchronously'),
      );
    }
    return new Promise<RedisReply>((resolve, reject) => {
      this.slots.push({ command, binary, resolve, reject });
    }).then(decode);
  }
}

/** A batch callback's commands, recorded and checked, not sent yet. */
export interface RecordedBatch<T extends readonly Promise<unknown>[]> {
  /** The calls the callback returned, settled once the batch is sent. */
  readonly calls: readonly [...T];
  /** @internal */
  readonly slots: readonly Slot[];
}

/** Sends a recorded batch's commands and resolves with one result per command. */
export type BatchSender = (commands: readonly RedisCommand[], binary: boolean) => Promise<BatchItemResult[]>;

/**
 * Records the typed commands a batch callback calls, in order, and checks that it returned an
 * array of its calls. Nothing is sent.
 */
export function recordBatch<T extends readonly Promise<unknown>[]>(
  core: ServiceCore,
  build: BatchBuilder<T>,
): RecordedBatch<T> {
  const recorder = new BatchRecorder(core);
  const calls = build(recorder);
  recorder.sealed = true;
  if (!Array.isArray(calls)) {
    throw new RedisValidationError(
      'a pipeline or transaction callback must return an array of the calls it made',
    );
  }
  // The recorder's promises reject together with the batch; nobody must see them as unhandled.
  for (const call of calls) Promise.resolve(call).catch(noop);
  return { calls, slots: recorder.slots };
}

/**
 * Sends a recorded batch with `send` once every command is built (any bad input rejects the whole
 * batch before anything is sent), and settles each command with its own reply or error.
 */
export async function sendRecordedBatch<T extends readonly Promise<unknown>[]>(
  recorded: RecordedBatch<T>,
  send: BatchSender,
): Promise<BatchResults<T>> {
  const { calls, slots } = recorded;
  const failAll = (error: unknown) => {
    for (const slot of slots) slot.reject(error);
  };

  let commands: RedisCommand[];
  try {
    commands = await Promise.all(slots.map((slot) => slot.command));
  } catch (error) {
    failAll(error);
    throw error;
  }

  if (commands.length > 0) {
    const binary = slots.some((slot) => slot.binary);
    let items: BatchItemResult[];
    try {
      items = await send(commands, binary);
    } catch (error) {
      failAll(error);
      throw error;
    }
    slots.forEach((slot, i) => {
      const item = items[i]!;
      if (!item.ok) slot.reject(item.error);
      else slot.resolve(binary && !slot.binary ? replyAsText(item.value) : item.value);
    });
  }

  const settled = await Promise.allSettled(calls);
  return settled.map((outcome) =>
    outcome.status === 'fulfilled'
      ? { ok: true, value: outcome.value }
      : { ok: false, error: toError(outcome.reason) },
  ) as BatchResults<T>;
}

/**
 * Runs a pipeline or transaction: records the callback's commands, checks every one, sends them
 * as one batch through the limiter, and settles each command with its own reply or error.
 */
export async function runBatch<T extends readonly Promise<unknown>[]>(
  core: ServiceCore,
  build: BatchBuilder<T>,
  transaction: boolean,
): Promise<BatchResults<T>> {
  // Checked up front so that even an empty transaction on a driver without MULTI/EXEC is refused.
  if (transaction) core.require('transactions', 'a transaction');
  return sendRecordedBatch(recordBatch(core, build), (commands, binary) =>
    core.batch(commands, transaction, binary),
  );
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
