import type { WorkerJob } from '../worker-job.js';

/** Params of the `stream/hold` job. */
export interface StreamHoldParams {
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  /** Entries per read: the batch the worker is in the middle of when it is killed. */
  readonly count: number;
  /** How many messages it acknowledges before it stops, holding the next one. */
  readonly ack: number;
}

/** What the `stream/hold` job reports. */
export interface StreamHoldResult {
  /** The ids it acknowledged. */
  readonly acked: readonly string[];
  /** The id of the message it took and did not acknowledge. */
  readonly held: string;
}

/**
 * A consumer caught in the middle of a batch: takes `ack + 1` messages, acknowledges `ack` of
 * them, and resolves while holding the last one, the rest of its batch still unread by the
 * caller and its consumer left open. The case then kills the process.
 */
export const streamHoldJob: WorkerJob = async ({ redis }, params): Promise<StreamHoldResult> => {
  const { stream, group, consumer, count, ack } = params as StreamHoldParams;
  const messages = redis.consume(stream, { group, consumer, count, blockMs: 1000 });
  const acked: string[] = [];
  for (;;) {
    const next = await messages.next();
    if (next.done) throw new Error('the consumer ended before it held a message');
    if (acked.length === ack) return { acked, held: next.value.id };
    if (!(await next.value.ack())) throw new Error(`ack of ${next.value.id} found it not pending`);
    acked.push(next.value.id);
  }
};
