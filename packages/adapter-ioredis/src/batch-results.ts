/**
 * Kept for the cluster and sentinel drivers written against it: the batch assembly now lives in
 * `@redis-service/core/adapter` (`pipelineResults`, `transactionResults`); these take ioredis'
 * error-first `pipeline.exec()` pairs as they are.
 */
import type { BatchItemResult } from '@redis-service/core';
import {
  pipelineResults as assemblePipeline,
  transactionResults as assembleTransaction,
  type BatchReader,
  settledFromErrorFirst,
} from '@redis-service/core/adapter';

export type { BatchReader };

/** One entry of what ioredis' `pipeline.exec()` resolves with. */
export type PipelineOutcome = [error: Error | null, result: unknown];

/** `pipelineResults` of the toolkit over ioredis' `pipeline.exec()` pairs. */
export function pipelineResults(
  names: readonly string[],
  outcomes: readonly PipelineOutcome[] | null,
  reader: BatchReader,
): BatchItemResult[] {
  return assemblePipeline(names, settledFromErrorFirst(outcomes), reader);
}

/** `transactionResults` of the toolkit over ioredis' `pipeline.exec()` pairs (MULTI, the commands, EXEC). */
export function transactionResults(
  names: readonly string[],
  outcomes: readonly PipelineOutcome[] | null,
  reader: BatchReader,
): BatchItemResult[] {
  return assembleTransaction(names, settledFromErrorFirst(outcomes), reader);
}
