import {
  RedisAbortedError,
  RedisClosedError,
  RedisError,
  RedisSerializationError,
  RedisTimeoutError,
} from '@redis-service/core';
import { serverError, unreachableError, unreadableError } from './map-error.js';
import { type AbortCause, type RequestSignal, requestSignal } from './request-signal.js';
import type { RestTransport } from './rest-transport.js';

/** What a call asks for: one command (`POST /`), a pipeline, or a transaction (`/multi-exec`). */
export type JobKind = 'command' | 'pipeline' | 'transaction';

interface Job {
  readonly kind: JobKind;
  readonly argvs: readonly (readonly string[])[];
  /** The JSON size of its commands, to keep a coalesced request under the service's size limit. */
  readonly bytes: number;
  readonly signal: RequestSignal;
  /** When the call gives up (`clock` time); `Infinity` without a timeout. */
  readonly deadline: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: RedisError) => void;
  settled: boolean;
}

interface InFlight {
  readonly request: RequestSignal;
  readonly jobs: readonly Job[];
}

// One coalesced request stays well under the service's default 1 MB request limit.
const MAX_COMMANDS_PER_REQUEST = 1000;
const MAX_BYTES_PER_REQUEST = 512 * 1024;

// Read once: in Node `performance` is a lazy global getter.
const clock: { now(): number } = globalThis.performance ?? Date;

/**
 * Sends a driver's calls over HTTP one request at a time, in the order they were made, coalescing
 * the calls that queue up meanwhile into one `/pipeline` request. This keeps the one guarantee a
 * Redis connection gives and independent HTTP requests do not: commands run (and complete) in the
 * order they were issued. It also spends one HTTP request per round of concurrent calls instead of
 * one per call, which matters where a runtime counts subrequests.
 *
 * - a command alone goes as `POST /`; a transaction always goes alone as `/multi-exec`;
 * - each call has its own deadline (`timeoutMs`, from when it was made) and its caller's signal:
 *   a call that fires leaves at once, and is never sent if it had not been; a request whose calls
 *   have all left is aborted, so the next one goes;
 * - each request has the same deadline, so one the service never answers cannot stall the queue
 *   for longer than that; with `timeoutMs` 0 it can, as a Redis connection without a timeout can;
 * - a request is started only for calls still waiting: one whose caller left or whose deadline
 *   passed (also when its timer has not fired yet, on a busy event loop) is never sent. When the
 *   request in flight was given up by all its callers, the next one waits for the current turn of
 *   the event loop to end first, so that callers giving up in that same turn (many signals firing
 *   together while the service does not answer) leave before anything is sent for them.
 */
export class OrderedDispatcher {
  readonly #transport: RestTransport;
  readonly #timeoutMs: number;
  readonly #name: string;
  // Waiting calls from #head on; a call that leaves stays in place, settled, and is skipped.
  #queue: Job[] = [];
  #head = 0;
  #draining = false;
  #closed = false;
  #inFlight: InFlight | undefined;

  constructor(transport: RestTransport, timeoutMs: number, name: string) {
    this.#transport = transport;
    this.#timeoutMs = timeoutMs;
    this.#name = name;
  }

  /**
   * Queues a call and resolves with its result: a command's `result`, a pipeline's slice of
   * response entries, a transaction's response as it came.
   */
  submit(
    kind: JobKind,
    argvs: readonly (readonly string[])[],
    caller: AbortSignal | undefined,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(new RedisClosedError(`the ${this.#name} driver is closed`));
    return new Promise<unknown>((resolve, reject) => {
      const signal = requestSignal(caller, this.#timeoutMs);
      const job: Job = {
        kind,
        argvs,
        bytes: JSON.stringify(argvs).length,
        signal,
        deadline: this.#timeoutMs > 0 ? clock.now() + this.#timeoutMs : Number.POSITIVE_INFINITY,
        resolve,
        reject,
        settled: false,
      };
      if (signal.signal.aborted) {
        this.#settle(job, () => reject(this.#abortError(signal.cause())));
        return;
      }
      signal.signal.addEventListener('abort', () => this.#leave(job), { once: true });
      this.#queue.push(job);
      if (!this.#draining) {
        this.#draining = true;
        // Calls made in the same tick join the first request.
        queueMicrotask(() => void this.#drain());
      }
    });
  }

  /** Rejects every queued and in-flight call with `RedisClosedError` and aborts the request in flight. */
  close(): void {
    this.#closed = true;
    const queued = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    const closed = new RedisClosedError(
      `the ${this.#name} driver was closed while the command was in flight`,
    );
    for (const job of [...(this.#inFlight?.jobs ?? []), ...queued])
      this.#settle(job, () => job.reject(closed));
    this.#inFlight?.request.abort('closed');
  }

  async #drain(): Promise<void> {
    while (!this.#closed) {
      const group = this.#nextGroup();
      if (group.length === 0) break;
      const givenUp = await this.#send(group);
      // Callers giving up in this same turn leave before the next request is sent for them.
      if (givenUp) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.#draining = false;
  }

  /** The next waiting call, skipping (and settling) those that left or whose deadline passed. */
  #nextWaiting(): Job | undefined {
    const now = clock.now();
    while (this.#head < this.#queue.length) {
      const job = this.#queue[this.#head]!;
      if (!job.settled && job.deadline <= now) {
        // Its timer is late (a busy event loop): it has timed out all the same.
        this.#settle(job, () => job.reject(this.#abortError('timeout')));
      }
      if (!job.settled) return job;
      this.#head++;
    }
    this.#queue = [];
    this.#head = 0;
    return undefined;
  }

  #take(): void {
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #nextGroup(): Job[] {
    const first = this.#nextWaiting();
    if (!first) return [];
    this.#take();
    if (first.kind === 'transaction') return [first];
    const group = [first];
    let commands = first.argvs.length;
    let bytes = first.bytes;
    for (let next = this.#nextWaiting(); next; next = this.#nextWaiting()) {
      if (next.kind === 'transaction') break;
      if (
        commands + next.argvs.length > MAX_COMMANDS_PER_REQUEST ||
        bytes + next.bytes > MAX_BYTES_PER_REQUEST
      )
        break;
      this.#take();
      group.push(next);
      commands += next.argvs.length;
      bytes += next.bytes;
    }
    return group;
  }

  /** Sends one request for `group`; resolves true when all its callers gave up on it first. */
  async #send(group: readonly Job[]): Promise<boolean> {
    const request = requestSignal(undefined, this.#timeoutMs);
    this.#inFlight = { request, jobs: group };
    try {
      const first = group[0]!;
      if (group.length === 1 && first.kind !== 'pipeline') {
        const call =
          first.kind === 'command'
            ? this.#transport.command(first.argvs[0]!, request.signal)
            : this.#transport.batch(first.argvs, true, request.signal);
        const value = await untilAborted(call, request.signal);
        this.#settle(first, () => first.resolve(value));
        return false;
      }
      const argvs = group.flatMap((job) => job.argvs);
      const response = await untilAborted(
        this.#transport.batch(argvs, false, request.signal),
        request.signal,
      );
      this.#distribute(group, response, argvs.length);
      return false;
    } catch (error) {
      const failure = request.signal.aborted ? this.#abortError(request.cause()) : this.#asRedisError(error);
      for (const job of group) this.#settle(job, () => job.reject(failure));
      return request.cause() === 'aborted';
    } finally {
      request.release();
      this.#inFlight = undefined;
    }
  }

  /** Hands each call of a coalesced `/pipeline` request its own entries. */
  #distribute(group: readonly Job[], response: unknown, count: number): void {
    if (!Array.isArray(response) || response.length !== count) {
      const failure = Array.isArray(response)
        ? new RedisSerializationError(
            `the Upstash REST endpoint ${this.#transport.endpoint} returned ${response.length} results for a batch of ${count} commands`,
          )
        : unreadableError(this.#transport.endpoint, 'a batch response must be a JSON array');
      for (const job of group) this.#settle(job, () => job.reject(failure));
      return;
    }
    let offset = 0;
    for (const job of group) {
      const entries = response.slice(offset, offset + job.argvs.length);
      offset += job.argvs.length;
      if (job.kind === 'pipeline') {
        this.#settle(job, () => job.resolve(entries));
        continue;
      }
      const { result, error } = (entries[0] ?? {}) as { result?: unknown; error?: unknown };
      if (typeof error === 'string') {
        this.#settle(job, () => job.reject(serverError(this.#transport.endpoint, error)));
      } else this.#settle(job, () => job.resolve(result));
    }
  }

  /** A call's own signal fired: it leaves now, unsent if it still waited, and frees the line if it was the last. */
  #leave(job: Job): void {
    if (job.settled) return;
    this.#settle(job, () => job.reject(this.#abortError(job.signal.cause())));
    // A queued call stays where it is, settled: the queue skips it (leaving is O(1)).
    if (this.#inFlight?.jobs.every((sent) => sent.settled)) this.#inFlight.request.abort('aborted');
  }

  #settle(job: Job, outcome: () => void): void {
    if (job.settled) return;
    job.settled = true;
    job.signal.release();
    outcome();
  }

  #abortError(cause: AbortCause | undefined): RedisError {
    const endpoint = this.#transport.endpoint;
    switch (cause) {
      case 'timeout':
        return new RedisTimeoutError(`${endpoint}: no reply within ${this.#timeoutMs} ms`, this.#timeoutMs);
      case 'aborted':
        return new RedisAbortedError(`the request to ${endpoint} was aborted by the caller`);
      default:
        return new RedisClosedError(`the ${this.#name} driver was closed while the command was in flight`);
    }
  }

  #asRedisError(error: unknown): RedisError {
    return error instanceof RedisError ? error : unreachableError(this.#transport.endpoint, error);
  }
}

/**
 * Settles with `promise`, or rejects as soon as `signal` fires: a transport that ignores the
 * signal (a custom @upstash/redis requester) cannot hold the queue.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
