import { decodeJson, encodeJson } from '../codec/json.js';
import { type Schema, validateWithSchema } from '../codec/schema.js';
import { requireKey } from '../commands/validate.js';
import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';
import { DEFAULT_FAILURE_POLICY, type RedisFailurePolicy, shouldFailOpen } from '../policy/failure-policy.js';
import type { LuaScript } from '../port/driver.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import { type CachedEntry, decodeEntry, encodeErrorEntry, valueEntryText } from './cache-entry.js';
import {
  CacheComputeError,
  CacheWaitTimeoutError,
  computeErrorInfo,
  parseComputeErrorInfo,
} from './cache-errors.js';
import { type CacheKeys, cacheKeys } from './cache-keys.js';
import {
  type ComputeContext,
  type GetOrComputeOptions,
  type ResolvedGetOrComputeOptions,
  resolveGetOrComputeOptions,
} from './get-or-compute-options.js';
import {
  ACQUIRE_SCRIPT,
  COMPLETE_SCRIPT,
  EXTEND_SCRIPT,
  FAIL_SCRIPT,
  leaseToken,
  TRY_LOCK_SCRIPT,
} from './lease-scripts.js';
import { type NoticeSource, pollingNotices } from './notices.js';
import { xfetchShouldRefresh } from './xfetch.js';

/** What `getOrCompute` needs of a service (a `RedisService` is one). Keys are relative to `keyPrefix`. */
export interface CacheBackend {
  readonly keyPrefix: string;
  get(key: string): Promise<string | null>;
  runScript(
    script: LuaScript,
    input: { readonly keys?: readonly string[]; readonly args?: readonly RedisArg[] },
  ): Promise<RedisReply>;
}

/** What a compute receives and returns. */
export type Compute<T> = (context: ComputeContext) => T | Promise<T>;

/** Options of `CacheAside`. */
export interface CacheAsideOptions {
  /** How waiters are woken. Default: bounded polling. */
  readonly notices?: NoticeSource;
  /** The failure policy of calls that do not name one. Default `'fail-closed'`. */
  readonly failurePolicy?: RedisFailurePolicy;
  /** The clock of entry expiry (epoch ms), shared by processes. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * With pub/sub a waiter still looks again when the holder's lease lapses, and at least this often
 * (ms): a notice can be lost to a reconnect, and an owner that died publishes nothing.
 */
const PUSH_RECHECK_MAX_MS = 1000;

/**
 * Without `negativeTtlMs` a failure is kept only as a notice for the callers waiting on that
 * compute: each looks again within the lease's remaining time and at most `PUSH_RECHECK_MAX_MS`
 * (polling looks far more often), so the notice lives that long plus this grace for a busy
 * machine, and never reaches a caller that did not wait on that compute.
 */
const FAILURE_NOTICE_GRACE_MS = 1000;

// Waits are timed on a monotonic clock: entry expiry uses the (injectable, shared) wall clock.
const monotonic: { now(): number } = globalThis.performance ?? Date;

/** Raised inside a flight when Redis is unavailable and the policy says to compute without it. */
class FailOpen {
  constructor(readonly error: unknown) {}
}

/**
 * Cache-aside with stampede protection, over one service: single-flight per key inside this
 * process, a token-owned lease across processes, pub/sub (or polling) wake-up of waiters,
 * stale-while-revalidate, XFetch early refresh and opt-in negative caching.
 */
export class CacheAside {
  readonly #backend: CacheBackend;
  readonly #notices: NoticeSource;
  readonly #failurePolicy: RedisFailurePolicy;
  readonly #now: () => number;
  readonly #flights = new Map<string, Promise<unknown>>();
  readonly #refreshes = new Set<string>();

  constructor(backend: CacheBackend, options: CacheAsideOptions = {}) {
    this.#backend = backend;
    this.#notices = options.notices ?? pollingNotices;
    this.#failurePolicy = options.failurePolicy ?? DEFAULT_FAILURE_POLICY;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The cached value of `key`, or the value of `compute`, computed once across processes and
   * cached for the TTL. Concurrent callers in this process share one flight (the first caller's
   * options and compute are used); callers in other processes wait for the lease owner's value.
   */
  getOrCompute<T>(key: string, compute: Compute<T>, options: GetOrComputeOptions<T>): Promise<T> {
    let resolved: ResolvedGetOrComputeOptions<T>;
    let keys: CacheKeys;
    try {
      requireKey(key);
      if (typeof compute !== 'function') throw new RedisValidationError('compute must be a function');
      resolved = resolveGetOrComputeOptions(options, this.#failurePolicy);
      keys = cacheKeys(this.#backend.keyPrefix, key);
    } catch (error) {
      return Promise.reject(error);
    }
    const existing = this.#flights.get(keys.channel);
    if (existing) return existing as Promise<T>;
    const flight = this.#flight(keys, compute, resolved).finally(() => this.#flights.delete(keys.channel));
    this.#flights.set(keys.channel, flight);
    return flight;
  }

  async #flight<T>(
    keys: CacheKeys,
    compute: Compute<T>,
    options: ResolvedGetOrComputeOptions<T>,
  ): Promise<T> {
    try {
      return await this.#lookup(keys, compute, options);
    } catch (error) {
      if (error instanceof FailOpen) return this.#computeLocally(keys, compute, options);
      throw error;
    }
  }

  async #lookup<T>(
    keys: CacheKeys,
    compute: Compute<T>,
    options: ResolvedGetOrComputeOptions<T>,
  ): Promise<T> {
    const text = await this.#redis(options, () => this.#backend.get(keys.value));
    if (text !== null) {
      const entry = decodeEntry(text, keys.value);
      if (entry.kind === 'error') throw new CacheComputeError(entry.error, true);
      const now = this.#now();
      const fresh = now < entry.expiresAt;
      // Redis evicts the entry at the end of its grace (PX = ttl + staleTtlMs), so a stale entry
      // still here is within its grace, by the server's clock if not quite by ours.
      const early =
        fresh &&
        options.earlyRefresh !== undefined &&
        xfetchShouldRefresh({
          deltaMs: entry.deltaMs,
          expiresAt: entry.expiresAt,
          now,
          beta: options.earlyRefresh.beta,
          random: options.earlyRefresh.random(),
        });
      if (!fresh || early) this.#refreshInBackground(keys, compute, options);
      return this.#checked(entry.value, keys.value, options);
    }
    return this.#fill(keys, compute, options);
  }

  /**
   * What `getOrCompute` stored at `key`, decoded: the value (checked by `schema` when given) and
   * whether it is fresh, or a cached error; `null` when nothing is stored. One GET, no lease.
   */
  async peek<T = unknown>(key: string, schema?: Schema<unknown, T>): Promise<CachedEntry<T> | null> {
    requireKey(key);
    const text = await this.#backend.get(key);
    if (text === null) return null;
    const entry = decodeEntry(text, key);
    if (entry.kind === 'error') {
      return { kind: 'error', error: new CacheComputeError(entry.error, true), expiresAt: entry.expiresAt };
    }
    const value = schema
      ? await validateWithSchema(schema, entry.value, { key, when: 'read' })
      : (entry.value as T);
    return {
      kind: 'value',
      value,
      fresh: this.#now() < entry.expiresAt,
      freshUntil: entry.expiresAt,
      computeMs: entry.deltaMs,
    };
  }

  async #fill<T>(keys: CacheKeys, compute: Compute<T>, options: ResolvedGetOrComputeOptions<T>): Promise<T> {
    const deadline = monotonic.now() + options.waitTimeoutMs;
    const token = leaseToken();
    let waited = '';
    let step = await this.#acquire(keys, token, '', options);
    if (step.kind === 'wait') {
      waited = step.holder;
      let leaseLeftMs = step.leaseLeftMs;
      const listener = await this.#redis(options, () => this.#notices.listen(keys.channel));
      try {
        let look = this.#notices.pushes;
        for (;;) {
          if (!look) {
            const remaining = deadline - monotonic.now();
            if (remaining <= 0) break;
            // Look again when the holder's lease lapses (it may have died), or every so often.
            const pause = this.#notices.pushes
              ? Math.min(
                  remaining,
                  leaseLeftMs > 0 ? leaseLeftMs + 1 : PUSH_RECHECK_MAX_MS,
                  PUSH_RECHECK_MAX_MS,
                )
              : remaining;
            const notice = parseNotice(await listener.next(pause));
            if (notice?.kind === 'v') return this.#fromEntryText(notice.payload, keys.value, options);
            if (notice?.kind === 'err' && notice.token === waited) throw remoteError(notice.payload);
          }
          look = false;
          step = await this.#acquire(keys, token, waited, options);
          if (step.kind !== 'wait') break;
          waited = step.holder;
          leaseLeftMs = step.leaseLeftMs;
        }
      } finally {
        // Unsubscribing is a round trip of its own: the woken callers must not wait for it.
        listener.close().catch(() => {});
      }
    }
    switch (step.kind) {
      case 'value':
        return this.#fromEntryText(step.text, keys.value, options);
      case 'error':
        throw remoteError(step.text.slice(step.text.indexOf('\n') + 1));
      case 'own':
        return this.#computeAsOwner(keys, token, compute, options, true);
      case 'wait':
        if (options.onWaitTimeout === 'compute') return this.#computeLocally(keys, compute, options);
        throw new CacheWaitTimeoutError(keys.value, options.waitTimeoutMs);
    }
  }

  async #acquire(
    keys: CacheKeys,
    token: string,
    waited: string,
    options: ResolvedGetOrComputeOptions<unknown>,
  ): Promise<AcquireStep> {
    const reply = await this.#redis(options, () =>
      this.#backend.runScript(ACQUIRE_SCRIPT, {
        keys: [keys.value, keys.lock, keys.error],
        args: [token, options.lockTtlMs, waited],
      }),
    );
    return parseAcquireReply(reply);
  }

  async #computeAsOwner<T>(
    keys: CacheKeys,
    token: string,
    compute: Compute<T>,
    options: ResolvedGetOrComputeOptions<T>,
    cacheErrors: boolean,
  ): Promise<T> {
    const started = this.#now();
    let valueText: string;
    try {
      const value = await compute(this.#context(keys, token));
      if (options.schema) await validateWithSchema(options.schema, value, { key: keys.value, when: 'write' });
      valueText = encodeJson(value, keys.value);
    } catch (error) {
      await this.#recordFailure(keys, token, error, options, cacheErrors);
      throw error;
    }
    const now = this.#now();
    const entry = valueEntryText(valueText, now - started, now + options.ttlMs);
    try {
      // Fenced: a reply of 0 says the lease lapsed before the compute ended (and may have passed
      // to another caller, whose value must survive). Nothing was stored or announced; this
      // caller still gets what it computed.
      await this.#backend.runScript(COMPLETE_SCRIPT, {
        keys: [keys.value, keys.lock],
        args: [token, entry, options.ttlMs + options.staleTtlMs, keys.channel, this.#publishCommand()],
      });
    } catch (error) {
      // The value is computed: failing open means handing it back uncached.
      if (!shouldFailOpen(options.failurePolicy, error)) throw error;
    }
    // Every caller gets the stored form (JSON, then the schema), whichever path it took.
    return this.#checked(decodeJson(valueText, keys.value), keys.value, options);
  }

  async #recordFailure(
    keys: CacheKeys,
    token: string,
    error: unknown,
    options: ResolvedGetOrComputeOptions<unknown>,
    cacheErrors: boolean,
  ): Promise<void> {
    const info = computeErrorInfo(error);
    const negative =
      cacheErrors && options.negativeTtlMs !== undefined
        ? encodeErrorEntry(info, this.#now() + options.negativeTtlMs)
        : '';
    try {
      await this.#backend.runScript(FAIL_SCRIPT, {
        keys: [keys.value, keys.lock, keys.error],
        args: [
          token,
          encodeJson(info),
          PUSH_RECHECK_MAX_MS,
          keys.channel,
          negative,
          options.negativeTtlMs ?? 1,
          FAILURE_NOTICE_GRACE_MS,
          this.#publishCommand(),
        ],
      });
    } catch {
      // Best effort: the compute's own error is what the caller must see; the lease expires anyway.
    }
  }

  #publishCommand(): 'PUBLISH' | 'SPUBLISH' {
    return this.#notices.publishCommand ?? 'PUBLISH';
  }

  async #computeLocally<T>(
    keys: CacheKeys,
    compute: Compute<T>,
    options: ResolvedGetOrComputeOptions<T>,
  ): Promise<T> {
    const value = await compute({ key: keys.value, extendLease: () => Promise.resolve(false) });
    if (options.schema) await validateWithSchema(options.schema, value, { key: keys.value, when: 'write' });
    return this.#checked(decodeJson(encodeJson(value, keys.value), keys.value), keys.value, options);
  }

  #refreshInBackground<T>(
    keys: CacheKeys,
    compute: Compute<T>,
    options: ResolvedGetOrComputeOptions<T>,
  ): void {
    if (this.#refreshes.has(keys.channel)) return;
    this.#refreshes.add(keys.channel);
    const token = leaseToken();
    this.#backend
      .runScript(TRY_LOCK_SCRIPT, { keys: [keys.lock], args: [token, options.lockTtlMs] })
      .then((taken) => {
        // Another process holds the lease: it is refreshing, and the stale value stays served.
        if (taken === 1) return this.#computeAsOwner(keys, token, compute, options, false);
        return undefined;
      })
      .catch((error: unknown) => options.onRefreshError?.(error))
      .finally(() => this.#refreshes.delete(keys.channel));
  }

  #context(keys: CacheKeys, token: string): ComputeContext {
    return {
      key: keys.value,
      extendLease: async (ms: number) => {
        if (!Number.isSafeInteger(ms) || ms <= 0) {
          throw new RedisValidationError(`extendLease needs a positive integer of ms, got ${String(ms)}`);
        }
        const reply = await this.#backend.runScript(EXTEND_SCRIPT, { keys: [keys.lock], args: [token, ms] });
        return reply === 1;
      },
    };
  }

  async #fromEntryText<T>(text: string, key: string, options: ResolvedGetOrComputeOptions<T>): Promise<T> {
    const entry = decodeEntry(text, key);
    if (entry.kind === 'error') throw new CacheComputeError(entry.error, true);
    return this.#checked(entry.value, key, options);
  }

  async #checked<T>(value: unknown, key: string, options: ResolvedGetOrComputeOptions<T>): Promise<T> {
    if (!options.schema) return value as T;
    return validateWithSchema(options.schema, value, { key, when: 'read' });
  }

  /** Runs one Redis step; an unavailable Redis under `'fail-open'` becomes a local compute. */
  async #redis<R>(options: ResolvedGetOrComputeOptions<unknown>, step: () => Promise<R>): Promise<R> {
    try {
      return await step();
    } catch (error) {
      if (shouldFailOpen(options.failurePolicy, error)) throw new FailOpen(error);
      throw error;
    }
  }
}

type AcquireStep =
  | { readonly kind: 'value'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'own' }
  | { readonly kind: 'wait'; readonly holder: string; readonly leaseLeftMs: number };

function parseAcquireReply(reply: RedisReply): AcquireStep {
  if (Array.isArray(reply)) {
    const [kind, payload] = reply;
    if (kind === 'own') return { kind: 'own' };
    if (kind === 'v' && typeof payload === 'string') return { kind: 'value', text: payload };
    if (kind === 'err' && typeof payload === 'string') return { kind: 'error', text: payload };
    if (kind === 'wait') {
      const left = reply[2];
      return {
        kind: 'wait',
        holder: typeof payload === 'string' ? payload : '',
        leaseLeftMs: typeof left === 'number' && left > 0 ? left : 0,
      };
    }
  }
  throw new RedisSerializationError('unexpected reply to the getOrCompute lease script');
}

interface Notice {
  readonly kind: 'v' | 'err';
  readonly token: string;
  readonly payload: string;
}

/** Notices read `v\n<token>\n<entry>` or `err\n<token>\n<error JSON>`; anything else is ignored. */
function parseNotice(message: string | undefined): Notice | undefined {
  if (message === undefined) return undefined;
  const first = message.indexOf('\n');
  const second = first === -1 ? -1 : message.indexOf('\n', first + 1);
  if (second === -1) return undefined;
  const kind = message.slice(0, first);
  if (kind !== 'v' && kind !== 'err') return undefined;
  return { kind, token: message.slice(first + 1, second), payload: message.slice(second + 1) };
}

function remoteError(json: string): CacheComputeError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = { message: json };
  }
  return new CacheComputeError(parseComputeErrorInfo(parsed), false);
}
