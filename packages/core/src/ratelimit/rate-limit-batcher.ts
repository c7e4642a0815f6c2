import { keySlot } from '../cluster/key-slot.js';
import { abortedError } from '../errors/aborted-error.js';
import { classifyServerError } from '../errors/classify-server-error.js';
import { RedisSerializationError } from '../errors/redis-error.js';
import { type RedisFailurePolicy, shouldFailOpen } from '../policy/failure-policy.js';
import type { LuaScript } from '../port/driver.js';
import type { RedisReply } from '../port/reply.js';
import { onAbort } from '../util/abort-fanout.js';
import type { ScriptRunner } from './check-rate-limit.js';
import { rateLimitKeys } from './rate-limit-keys.js';
import type { RateLimitOptions, RateLimitResult } from './rate-limit-options.js';
import { batchedRateLimitResult, decodeRateLimitReply, degradedResult } from './rate-limit-reply.js';
import { type PreparedRateLimit, prepareRateLimit } from './validate-rate-limit.js';

/** The most checks one batch script carries: a queue that reaches it is sent at once. */
export const MAX_RATE_LIMIT_BATCH = 128;

/**
 * A queue is sent before the end of the tick once it holds as many checks as are in flight, and
 * at least this many: see `RateLimitBatcher`.
 */
export const MIN_EARLY_BATCH = 32;

// The smallest queue sent as two scripts while none is in flight (see #dispatch).
const MIN_SPLIT = 4;

// How many of the latest distinct argument lists a check's own is compared with (see #send).
const RECENT_LISTS = 4;

/** Whether `list` equals the `list.length` numbers of `args` from `start`. */
function sameList(args: readonly number[], start: number, list: readonly number[]): boolean {
  for (let i = 0; i < list.length; i++) if (args[start + i] !== list[i]) return false;
  return true;
}

const ABORTED = 'the caller aborted the rate-limit check';

/** Options of `RateLimitBatcher`. */
export interface RateLimitBatcherOptions {
  /** The runner routes by hash slot: only checks of one slot share a batch. */
  readonly cluster: boolean;
  /** The prefix the runner puts before every key (it decides a key's slot). */
  readonly keyPrefix: string;
  /** The most checks per batch. Default `MAX_RATE_LIMIT_BATCH`. */
  readonly maxBatch?: number;
}

/** One caller's check, from the moment it is validated until it settles (once). */
class QueuedCheck {
  settled = false;
  stopListening: (() => void) | undefined;

  constructor(
    readonly keys: readonly string[],
    readonly prepared: PreparedRateLimit,
    readonly policy: RedisFailurePolicy,
    readonly resolve: (result: RateLimitResult) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  succeed(result: RateLimitResult): void {
    if (this.#finish()) this.resolve(result);
  }

  /** Settles a failure as the caller's own policy says: degraded when it fails open. */
  fail(error: unknown): void {
    if (!this.#finish()) return;
    if (shouldFailOpen(this.policy, error)) this.resolve(degradedResult(this.prepared));
    else this.reject(error);
  }

  /** Settles from the single-check script's reply. */
  settle(reply: RedisReply): void {
    if (this.settled) return;
    let result: RateLimitResult;
    try {
      result = decodeRateLimitReply(reply, this.prepared.limit);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.succeed(result);
  }

  /** Settles from its place in a batch script's flat reply: its result, or the server's error for it. */
  settleBatched(reply: readonly RedisReply[], index: number): void {
    if (this.settled) return;
    const result = batchedRateLimitResult(reply, index, this.prepared.limit);
    if (result !== undefined) {
      this.succeed(result);
      return;
    }
    const first = reply[index * 4];
    this.fail(
      typeof first === 'string'
        ? classifyServerError(first)
        : new RedisSerializationError('unexpected reply to the rate-limit batch script'),
    );
  }

  #finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.stopListening?.();
    return true;
  }
}

/**
 * Coalesces the rate-limit checks of one service into few scripts: one queue per algorithm (and,
 * on a cluster, per hash slot), sent as one batch script of at most `maxBatch` checks. The batch
 * script reads Redis's clock once and runs each check's unchanged body in turn (see
 * `defineBatchScript`), so each check stays atomic; the batch is not one transaction across
 * callers.
 *
 * When a queue is sent: at the end of the tick (on a microtask, never a timer), or at once when it
 * holds as many checks as are in flight, and at least `MIN_EARLY_BATCH` (32): one batch of every
 * caller would leave Redis idle while Node prepares it, and Node idle while Redis runs it, where
 * two smaller ones overlap. For the same reason a queue sent while no script is in flight goes as
 * two halves (see `#dispatch`): from 8 to 32 callers, where the early send does not come into
 * play, that took the checks per second from about raw EVALSHA's to 1.1-2 times it. (Measured
 * against the others tried: a lone check sent at once when nothing is in flight, as the ioredis
 * driver writes, cost more CPU per check at 8 callers and gained nothing at 512; a queue sent
 * early once it holds as many checks as are in flight, with no floor, settled into batches of
 * two.)
 *
 * A caller pays nothing for the others: bad input is refused before it joins a queue, a lone
 * check goes out as the single-check script, a caller whose signal fired is dropped before the
 * batch is sent (and stops waiting after), and a failure of the batch reaches every caller, each
 * under its own failure policy.
 */
export class RateLimitBatcher {
  readonly #runner: ScriptRunner;
  readonly #cluster: boolean;
  readonly #keyPrefix: string;
  readonly #maxBatch: number;
  readonly #minEarly: number;
  // Per batch script (and slot): the checks waiting to be sent, in issue order.
  #queues = new Map<string, QueuedCheck[]>();
  #flushScheduled = false;
  // Checks sent and not answered yet (what Redis has to work on).
  #inflight = 0;
  // Scripts sent and not answered yet: while there is none, a queue goes as two (see #dispatch).
  #batchesInFlight = 0;
  readonly #flush = () => {
    this.#flushScheduled = false;
    const queues = this.#queues;
    this.#queues = new Map();
    for (const checks of queues.values()) this.#dispatch(checks);
  };

  constructor(runner: ScriptRunner, options: RateLimitBatcherOptions) {
    this.#runner = runner;
    this.#cluster = options.cluster;
    this.#keyPrefix = options.keyPrefix;
    this.#maxBatch = options.maxBatch ?? MAX_RATE_LIMIT_BATCH;
    this.#minEarly = Math.min(MIN_EARLY_BATCH, this.#maxBatch);
  }

  /**
   * Queues one check (see `RedisService.checkRateLimit`); rejects at once, before anything is
   * queued, on bad input or an aborted signal.
   *
   * @param defaultPolicy the service's policy, used unless `options.failurePolicy` is given
   */
  check(key: string, options: RateLimitOptions, defaultPolicy: RedisFailurePolicy): Promise<RateLimitResult> {
    let prepared: PreparedRateLimit;
    let keys: string[];
    try {
      prepared = prepareRateLimit(key, options);
      keys = rateLimitKeys(key, options.algorithm);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortedError(signal, ABORTED));
    const sha1 = prepared.batch.script.sha1;
    // A check's keys share one slot (one hash tag): the first one's slot is the check's.
    const id = this.#cluster ? `${sha1}:${keySlot(this.#keyPrefix + keys[0]!)}` : sha1;
    return new Promise<RateLimitResult>((resolve, reject) => {
      const check = new QueuedCheck(keys, prepared, options.failurePolicy ?? defaultPolicy, resolve, reject);
      if (signal) check.stopListening = onAbort(signal, () => check.fail(abortedError(signal, ABORTED)));
      let queue = this.#queues.get(id);
      if (queue === undefined) {
        queue = [];
        this.#queues.set(id, queue);
      }
      queue.push(check);
      // Sent now, Redis works on it while the rest of the tick is prepared: one batch holding
      // every caller would leave Redis idle while Node prepares it, and Node while Redis runs it.
      if (queue.length >= Math.min(this.#maxBatch, Math.max(this.#minEarly, this.#inflight))) {
        this.#queues.delete(id);
        this.#dispatch(queue);
      } else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        queueMicrotask(this.#flush);
      }
    });
  }

  /**
   * Sends one queue's live checks as one script (a queue never holds more than `maxBatch`, as it
   * is sent the moment it reaches it), or as two when no script of this batcher is in flight:
   * every caller's check in one script would make Node and Redis take turns for good (each
   * batch's callers come back together and form the next one), where two keep both busy, Redis
   * running one while Node settles the other's callers and prepares their next checks. Only a
   * queue of 4 or more is split, so both halves are batch scripts: one script, so both or neither
   * meet `NOSCRIPT`, and the EVAL that follows it keeps them in order. (A lone check goes as the
   * single-check script: sent next to a batch whose script the server lacks, it would overtake
   * the batch's EVAL, and the checks of one key would count out of order.)
   */
  #dispatch(queued: readonly QueuedCheck[]): void {
    const checks = queued.filter((check) => !check.settled);
    if (checks.length >= MIN_SPLIT && this.#batchesInFlight === 0) {
      const half = Math.ceil(checks.length / 2);
      this.#send(checks.slice(0, half));
      this.#send(checks.slice(half));
    } else if (checks.length > 0) this.#send(checks);
  }

  #send(checks: readonly QueuedCheck[]): void {
    const count = checks.length;
    this.#inflight += count;
    this.#batchesInFlight++;
    if (count === 1) {
      const check = checks[0]!;
      this.#run(check.prepared.script, check.keys, check.prepared.args).then(
        (reply) => {
          this.#inflight -= 1;
          this.#batchesInFlight--;
          check.settle(reply);
        },
        (error: unknown) => {
          this.#inflight -= 1;
          this.#batchesInFlight--;
          check.fail(error);
        },
      );
      return;
    }
    const keys: string[] = [];
    const args: number[] = [0];
    // The distinct argument lists (found among the last few), then which one each check uses.
    const picks: number[] = [];
    let lists = 0;
    const { argsPerCheck } = checks[0]!.prepared.batch;
    for (const check of checks) {
      for (const key of check.keys) keys.push(key);
      const own = check.prepared.args;
      let pick = -1;
      for (let list = lists - 1; list >= 0 && list >= lists - RECENT_LISTS; list--) {
        if (sameList(args, 1 + list * argsPerCheck, own)) {
          pick = list;
          break;
        }
      }
      if (pick === -1) {
        pick = lists++;
        for (const arg of own) args.push(arg);
      }
      picks.push(pick);
    }
    args[0] = lists;
    if (lists > 1) for (const pick of picks) args.push(pick);
    this.#run(checks[0]!.prepared.batch.script, keys, args).then(
      (reply) => {
        this.#inflight -= count;
        this.#batchesInFlight--;
        if (!Array.isArray(reply) || reply.length !== count * 4) {
          const error = new RedisSerializationError('unexpected reply to the rate-limit batch script');
          for (const check of checks) check.fail(error);
          return;
        }
        for (let i = 0; i < count; i++) checks[i]!.settleBatched(reply, i);
      },
      (error: unknown) => {
        this.#inflight -= count;
        this.#batchesInFlight--;
        for (const check of checks) check.fail(error);
      },
    );
  }

  #run(script: LuaScript, keys: readonly string[], args: readonly number[]): Promise<RedisReply> {
    try {
      return this.#runner.runScript(script, { keys, args });
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
