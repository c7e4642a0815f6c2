/**
 * node-redis batches: the chain that sends them, and the index-based reader the cluster and
 * sentinel drivers were written against. The assembly of the results is the toolkit's
 * (`pipelineResults`, `transactionResults` in `@redis-service/core/adapter`).
 */
import type { BatchItemResult, RedisError, RedisReply } from '@redis-service/core';
import {
  pipelineResults as assemblePipeline,
  transactionResults as assembleTransaction,
  type CommandOutcome as SettledOutcome,
  type BatchReader as ToolkitReader,
} from '@redis-service/core/adapter';
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
 * result per command (see the toolkit's `pipelineResults` and `transactionResults`).
 */
export async function sendBatch(
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
  const outcomes = await Promise.allSettled(sent);
  const names = encoded.map(() => '');
  return transaction
    ? assembleTransaction(names, outcomes, byIndex(reader))
    : assemblePipeline(names, outcomes, byIndex(reader));
}

/** Waits for every promise and records how each settled, never rejecting. */
export async function settleAll(promises: readonly Promise<unknown>[]): Promise<CommandOutcome[]> {
  return (await Promise.allSettled(promises)).map(
    (outcome): CommandOutcome =>
      outcome.status === 'fulfilled'
        ? { ok: true, raw: outcome.value }
        : { ok: false, error: outcome.reason },
  );
}

/** The toolkit's `pipelineResults` over `settleAll`'s outcomes. */
export function pipelineResults(outcomes: readonly CommandOutcome[], reader: BatchReader): BatchItemResult[] {
  return assemblePipeline(
    outcomes.map(() => ''),
    outcomes.map(settled),
    byIndex(reader),
  );
}

/** The toolkit's `transactionResults` over `settleAll`'s outcomes (MULTI's, one per command, EXEC's). */
export function transactionResults(
  outcomes: readonly CommandOutcome[],
  reader: BatchReader,
): BatchItemResult[] {
  return assembleTransaction(
    outcomes.slice(2).map(() => ''),
    outcomes.map(settled),
    byIndex(reader),
  );
}

function settled(outcome: CommandOutcome): SettledOutcome {
  return outcome.ok
    ? { status: 'fulfilled', value: outcome.raw }
    : { status: 'rejected', reason: outcome.error };
}

function byIndex(reader: BatchReader): ToolkitReader {
  return {
    read: (_name, raw, index) => reader.read(index, raw),
    mapError: (error) => reader.mapError(error),
  };
}
