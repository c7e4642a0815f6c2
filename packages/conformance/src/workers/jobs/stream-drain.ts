import type { WorkerJob } from '../worker-job.js';

/** Params of the `stream/drain` job. */
export interface StreamDrainParams {
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  /** Entries per read. */
  readonly count: number;
  /** How long one read waits (the consumer's `blockMs`). */
  readonly blockMs: number;
  /** The job ends once this key exists (the parent sets it when the group has nothing left). */
  readonly doneKey: string;
  /** The consumer's `claimIdleMs`, when it should claim. */
  readonly claimIdleMs?: number;
}

/** What the `stream/drain` job reports. */
export interface StreamDrainResult {
  /** The ids of every message handed to this worker, in the order it got them. */
  readonly processed: readonly string[];
  /** Acknowledgements that took the entry off the pending list (`ack()` resolved `true`). */
  readonly acked: number;
  /** Acknowledgements that found the entry no longer pending (`ack()` resolved `false`). */
  readonly notPending: number;
  readonly readMode: string;
  /** Messages of anything that failed (should be none). */
  readonly errors: readonly string[];
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * One consumer of a group in its own process: processes (records) and acknowledges every message
 * it is handed, until the parent sets `doneKey`; then its signal ends the iteration.
 */
export const streamDrainJob: WorkerJob = async ({ redis }, params): Promise<StreamDrainResult> => {
  const { stream, group, consumer, count, blockMs, doneKey, claimIdleMs } = params as StreamDrainParams;
  const stop = new AbortController();
  const errors: string[] = [];
  const watcher = (async () => {
    while (!stop.signal.aborted) {
      if ((await redis.exists(doneKey)) > 0) stop.abort();
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })().catch((error: unknown) => {
    errors.push(describeError(error));
    stop.abort();
  });
  const processed: string[] = [];
  let acked = 0;
  let notPending = 0;
  const messages = redis.consume(stream, {
    group,
    consumer,
    count,
    blockMs,
    signal: stop.signal,
    ...(claimIdleMs === undefined ? {} : { claimIdleMs }),
  });
  try {
    for await (const message of messages) {
      processed.push(message.id);
      if (await message.ack()) acked++;
      else notPending++;
    }
  } catch (error) {
    errors.push(describeError(error));
  } finally {
    stop.abort();
    await watcher;
  }
  return { processed, acked, notPending, readMode: messages.readMode, errors };
};
