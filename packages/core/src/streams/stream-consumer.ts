import type { Schema } from '../codec/schema.js';
import { requireKey } from '../commands/validate.js';
import { RedisReplyError, RedisValidationError } from '../errors/redis-error.js';
import type { RedisService } from '../service/redis-service.js';
import type { ConsumeReadMode, ResolvedConsumeOptions } from './consume-options.js';
import { DeliveredMessage, type MessageHost } from './consumed-message.js';
import { DEAD_LETTER_SCRIPT, MAX_DELIVERIES_REASON } from './dead-letter.js';
import type { StreamEntry, StreamGroupRead } from './stream-entries.js';
import { RedisStreamEntryError } from './stream-entry-error.js';
import { compareEntryIds } from './stream-ids.js';
import { entryJson, entryModel } from './stream-values.js';

/** Counters of one consumer, since it was created. */
export interface StreamConsumerStats {
  /** Messages handed out. */
  readonly delivered: number;
  /** Messages acknowledged through `ack()` (those that were still pending). */
  readonly acked: number;
  /** Entries claimed from the pending list (XAUTOCLAIM) and handed out. */
  readonly claimed: number;
  /** Entries moved to the dead-letter stream (delivered too often, or `message.deadLetter()`). */
  readonly deadLettered: number;
  /** Pending ids whose entries were deleted from the stream meanwhile: acknowledged, nothing to hand out. */
  readonly deletedPending: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const FIRST_POLL_PAUSE_MS = 10;
const MAX_POLL_PAUSE_MS = 1000;
const SCAN_DONE = '0-0';

/** Resolves after `ms`, or at once when `signal` fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A consumer of a stream's consumer group, as an async iterator of messages (see
 * `RedisService.consume`). It reads only when the caller asks for a message and none is left from
 * the last read (back-pressure); first this consumer's own pending entries (after a restart),
 * then new ones. It claims entries idle longer than `claimIdleMs` from other consumers, moves
 * entries delivered more than `maxDeliveries` times to the dead-letter stream, and never loses
 * one: an entry read but not acknowledged stays pending, to be redelivered or claimed.
 *
 * It ends (`done`) when its `signal` fires or `close()` / `return()` / `[Symbol.asyncDispose]()`
 * is called, also while a read waits (it is unblocked). It throws, and ends, when a read fails
 * (the service closed, the group does not exist, a lost connection): start a new one to go on.
 */
export class StreamConsumer<M> implements AsyncIterableIterator<M>, AsyncDisposable {
  /** The stream, without the key prefix. */
  readonly stream: string;
  readonly group: string;
  /** This consumer's name in the group. */
  readonly consumer: string;
  /** How it waits for new entries: a blocking read on a dedicated connection, or polling. */
  readonly readMode: ConsumeReadMode;
  readonly #redis: RedisService;
  readonly #options: ResolvedConsumeOptions;
  readonly #stop = new AbortController();
  readonly #host: MessageHost;
  readonly #buffer: DeliveredMessage[] = [];
  /**
   * Handed out and not settled: never handed out again by this consumer (claimed back or re-read)
   * while the caller holds them; other consumers may still claim them.
   */
  readonly #held = new Set<string>();
  readonly #settling = new Set<Promise<unknown>>();
  readonly #stats = { delivered: 0, acked: 0, claimed: 0, deadLettered: 0, deletedPending: 0 };
  #phase: 'start' | 'history' | 'new' = 'start';
  #historyId = '0';
  #claimCursor = SCAN_DONE;
  #nextClaimAt = 0;
  #pollPauseMs = 0;
  #queue: Promise<unknown> = Promise.resolve();
  /** `next()` calls queued and not settled. */
  #taking = 0;
  #done = false;
  #closing: Promise<void> | undefined;
  readonly #onAbort = () => this.#stop.abort(this.#options.signal?.reason);

  /** @internal */
  constructor(redis: RedisService, stream: string, options: ResolvedConsumeOptions) {
    this.#redis = redis;
    this.stream = stream;
    this.group = options.group;
    this.consumer = options.consumer;
    this.readMode = options.readMode;
    this.#options = options;
    this.#host = {
      acknowledge: (id) => this.#track(this.#acknowledge(id)),
      deadLetter: (id, reason) => this.#track(this.#deadLetter(id, reason)),
      settled: (id, done) => {
        if (done) this.#held.delete(id);
      },
    };
    const { signal } = options;
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The consumer's counters. */
  get stats(): StreamConsumerStats {
    return { ...this.#stats };
  }

  /** The next message; reads a batch first when none is left from the last read. */
  next(): Promise<IteratorResult<M, undefined>> {
    // The common case, a message left from the last read and no call before this one still
    // running, is answered without queueing behind it.
    if (this.#taking === 0 && this.#buffer.length > 0 && !this.#done && !this.#stop.signal.aborted) {
      return Promise.resolve(this.#handOut(this.#buffer.shift()!));
    }
    this.#taking++;
    const taken = this.#queue.then(() => this.#take());
    this.#queue = taken.then(
      () => this.#taking--,
      () => this.#taking--,
    );
    return taken;
  }

  /** Ends the iteration (what `break` in `for await` calls): see `close()`. */
  async return(): Promise<IteratorResult<M, undefined>> {
    await this.close();
    return DONE;
  }

  /**
   * Ends the consumer: a read in flight is unblocked, later `next()` calls are `done`, and it
   * resolves once the acknowledgements in flight settled. Entries read but not handed out (the
   * rest of the last batch) stay pending for this consumer, and are re-read when it starts again
   * under the same name, or claimed by another. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop.abort();
      await this.#queue;
      this.#finish();
      await Promise.allSettled(this.#settling);
    })();
    return this.#closing;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Lets `await using consumer = redis.consume(...)` close it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #take(): Promise<IteratorResult<M, undefined>> {
    for (;;) {
      if (this.#done) return DONE;
      if (this.#stop.signal.aborted) {
        this.#finish();
        return DONE;
      }
      const message = this.#buffer.shift();
      if (message) return this.#handOut(message);
      try {
        await this.#fill();
      } catch (error) {
        this.#finish();
        if (this.#stop.signal.aborted) return DONE;
        throw error;
      }
    }
  }

  #handOut(message: DeliveredMessage): IteratorYieldResult<M> {
    this.#held.add(message.id);
    this.#stats.delivered++;
    return { done: false, value: message as M };
  }

  /** One step towards a batch: create the group, claim, re-read own pending entries, or read new ones. */
  async #fill(): Promise<void> {
    const { claimIdleMs } = this.#options;
    if (this.#phase === 'start') {
      await this.#createGroup();
      this.#phase = 'history';
    }
    if (claimIdleMs !== undefined && (this.#claimCursor !== SCAN_DONE || Date.now() >= this.#nextClaimAt)) {
      await this.#claim(claimIdleMs);
      // An unfinished scan goes on at the next step, before anything else is read.
      if (this.#buffer.length > 0 || this.#claimCursor !== SCAN_DONE) return;
    }
    if (this.#phase === 'history') await this.#readHistory();
    else await this.#readNew();
  }

  async #createGroup(): Promise<void> {
    const startId = this.#options.createGroupAt;
    if (startId === undefined) return;
    try {
      await this.#redis.xgroupCreate(this.stream, this.group, startId, { mkStream: true });
    } catch (error) {
      if (!(error instanceof RedisReplyError && error.prefix === 'BUSYGROUP')) throw error;
    }
  }

  async #claim(claimIdleMs: number): Promise<void> {
    const claimed = await this.#redis.xautoclaim(
      this.stream,
      this.group,
      this.consumer,
      claimIdleMs,
      this.#claimCursor,
      { count: this.#options.count },
    );
    this.#claimCursor = claimed.nextId;
    if (claimed.nextId === SCAN_DONE) this.#nextClaimAt = Date.now() + claimIdleMs;
    this.#stats.deletedPending += claimed.deletedIds.length;
    const fresh = claimed.entries.filter((entry) => !this.#held.has(entry.id));
    this.#stats.claimed += await this.#redeliver(fresh);
  }

  /** This consumer's own pending entries, oldest first, after `#historyId` (a restart's leftovers). */
  async #readHistory(): Promise<void> {
    const [read] = await this.#redis.xreadgroup(
      this.group,
      this.consumer,
      { [this.stream]: this.#historyId },
      {
        count: this.#options.count,
      },
    );
    const ids = read ? [...read.entries.map((entry) => entry.id), ...read.deletedIds] : [];
    if (ids.length === 0) {
      this.#phase = 'new';
      return;
    }
    this.#historyId = ids.reduce((last, id) => (compareEntryIds(id, last) > 0 ? id : last));
    if (read!.deletedIds.length > 0) {
      // Nothing is left to hand out: acknowledged, so they leave the pending list.
      await this.#redis.xack(this.stream, this.group, ...read!.deletedIds);
      this.#stats.deletedPending += read!.deletedIds.length;
    }
    // A claim scan may have handed some of them out already (its own entries, idle since a restart).
    await this.#redeliver(read!.entries.filter((entry) => !this.#held.has(entry.id)));
  }

  async #readNew(): Promise<void> {
    const { group, consumer, count, blockMs } = this.#options;
    const streams = { [this.stream]: '>' };
    if (this.readMode === 'block') {
      const reads = await this.#redis.xreadgroup(group, consumer, streams, {
        count,
        blockMs: this.#waitMs(blockMs),
        signal: this.#stop.signal,
      });
      await this.#deliverNew(reads);
      return;
    }
    const reads = await this.#redis.xreadgroup(group, consumer, streams, { count });
    if (reads.some((read) => read.entries.length > 0)) {
      this.#pollPauseMs = 0;
      await this.#deliverNew(reads);
      return;
    }
    const longest = Math.min(blockMs === 0 ? MAX_POLL_PAUSE_MS : blockMs, MAX_POLL_PAUSE_MS);
    this.#pollPauseMs = Math.min(
      this.#pollPauseMs === 0 ? FIRST_POLL_PAUSE_MS : this.#pollPauseMs * 2,
      longest,
    );
    await pause(this.#waitMs(this.#pollPauseMs), this.#stop.signal);
  }

  /** How long a wait may last: `limit`, cut short to the next claim check (at least 1 ms). */
  #waitMs(limit: number): number {
    if (this.#options.claimIdleMs === undefined) return limit;
    const untilClaim = Math.max(1, this.#nextClaimAt - Date.now());
    return limit === 0 ? untilClaim : Math.min(limit, untilClaim);
  }

  async #deliverNew(reads: readonly StreamGroupRead[]): Promise<void> {
    const entries = reads.flatMap((read) => read.entries);
    const messages = await Promise.all(entries.map((entry) => this.#message(entry, 1)));
    this.#buffer.push(...messages);
  }

  /**
   * Hands out entries delivered before (claimed, or re-read after a restart) with their delivery
   * counts; an entry no longer pending for this consumer is left out, one delivered more than
   * `maxDeliveries` times is moved to the dead-letter stream instead. Resolves with how many were
   * handed out.
   */
  async #redeliver(entries: readonly StreamEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const counts = await this.#deliveryCounts(entries.map((entry) => entry.id));
    const { maxDeliveries } = this.#options;
    const kept: StreamEntry[] = [];
    const moves: Promise<boolean>[] = [];
    for (const entry of entries) {
      const count = counts.get(entry.id);
      if (count === undefined) continue;
      if (maxDeliveries !== undefined && count > maxDeliveries) {
        moves.push(this.#deadLetter(entry.id, MAX_DELIVERIES_REASON));
      } else kept.push(entry);
    }
    await Promise.all(moves);
    const messages = await Promise.all(kept.map((entry) => this.#message(entry, counts.get(entry.id)!)));
    this.#buffer.push(...messages);
    return messages.length;
  }

  /** The delivery counts of pending entries held by this consumer (one XPENDING each, one round trip). */
  async #deliveryCounts(ids: readonly string[]): Promise<Map<string, number>> {
    const results = await this.#redis.pipeline((p) =>
      ids.map((id) => p.xpending(this.stream, this.group, { start: id, end: id, count: 1 })),
    );
    const counts = new Map<string, number>();
    for (const result of results) {
      if (!result.ok) throw result.error;
      const [pending] = result.value;
      if (pending?.consumer === this.consumer) counts.set(pending.id, pending.deliveryCount);
    }
    return counts;
  }

  async #message(entry: StreamEntry, deliveryCount: number): Promise<DeliveredMessage> {
    const decoding = this.#options.decoding;
    let decoded: { value: unknown } | { error: RedisStreamEntryError };
    try {
      decoded = { value: decoding === undefined ? entry.fields : await this.#decode(entry, decoding) };
    } catch (error) {
      if (!(error instanceof RedisStreamEntryError)) throw error;
      decoded = { error };
    }
    return new DeliveredMessage(
      this.#host,
      this.stream,
      this.group,
      this.consumer,
      entry.id,
      entry.fields,
      deliveryCount,
      decoded,
    );
  }

  #decode(entry: StreamEntry, decoding: 'json' | Schema): unknown {
    return decoding === 'json' ? entryJson(entry, this.stream) : entryModel(decoding, entry, this.stream);
  }

  #acknowledge(id: string): Promise<boolean> {
    return this.#redis.xack(this.stream, this.group, id).then((count) => {
      if (count === 1) this.#stats.acked++;
      return count === 1;
    });
  }

  async #deadLetter(id: string, reason: string): Promise<boolean> {
    requireKey(reason, 'the dead-letter reason');
    const deadLetterStream = this.#options.deadLetterStream;
    if (deadLetterStream === undefined) {
      throw new RedisValidationError('deadLetter() needs the deadLetterStream option of consume()');
    }
    const moved = await this.#redis.runScript(DEAD_LETTER_SCRIPT, {
      keys: [this.stream, deadLetterStream],
      args: [this.group, this.consumer, id, reason, this.stream],
    });
    if (moved === 1) this.#stats.deadLettered++;
    else if (moved === -1) this.#stats.deletedPending++;
    return moved === 1;
  }

  #track<T>(settling: Promise<T>): Promise<T> {
    this.#settling.add(settling);
    const forget = () => this.#settling.delete(settling);
    settling.then(forget, forget);
    return settling;
  }

  #finish(): void {
    this.#done = true;
    this.#buffer.length = 0;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
  }
}
