import { type Schema, validateWithSchema } from '../../codec/schema.js';
import { requireKey } from '../../commands/validate.js';
import { RedisValidationError } from '../../errors/redis-error.js';
import type { RedisFailurePolicy } from '../../policy/failure-policy.js';
import type { CacheAside, Compute } from '../cache-aside.js';
import { decodeEntry } from '../cache-entry.js';
import {
  type GetOrComputeOptions,
  type ResolvedGetOrComputeOptions,
  resolveGetOrComputeOptions,
} from '../get-or-compute-options.js';
import { xfetchShouldRefresh } from '../xfetch.js';
import { deepFreeze } from './deep-freeze.js';
import type { L1Cache } from './l1-cache.js';
import type { L1Node } from './l1-store.js';
import { monotonic } from './monotonic.js';
import { decodedBytes, estimateBytes } from './size-estimate.js';

/** What an entry of getOrCompute keeps beside its value. */
interface EntryForms {
  /** How long the value took to compute (ms), for XFetch. */
  readonly deltaMs: number;
  /** When the value stops being fresh, on the writer's wall clock (epoch ms), for XFetch. */
  readonly wallExpiresAt: number;
  /** The length of the entry's text, for the size of another decoded form. */
  readonly textLength: number;
  schema: Schema | undefined;
  output: unknown;
}

/** Makes the L2's XFetch agree with a refresh the L1 already decided on. */
const ALWAYS = (): number => Number.MIN_VALUE;

/**
 * `getOrCompute` with an L1 in front of the Redis tier (`CacheAside`, unchanged): a value the L1
 * holds is served from it; on a miss one read takes the entry and its PTTL from Redis and keeps it
 * in the L1 (fresh until the entry's own freshness ends, served stale, with `staleTtlMs`, until
 * its Redis TTL ends); a missing, failed or unreadable entry is left to the Redis tier, which
 * computes it with its lease and its notices. A stale or early-refresh entry is served while one
 * background call of the Redis tier refreshes it; the write that stores the new value evicts the
 * old one here (tracking, or this service's own write).
 */
export class L1CacheAside {
  readonly #l1: L1Cache;
  readonly #l2: CacheAside;
  readonly #failurePolicy: RedisFailurePolicy;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #flights = new Map<string, Promise<unknown>>();
  readonly #refreshes = new Set<string>();

  constructor(l1: L1Cache, l2: CacheAside, keyPrefix: string, failurePolicy: RedisFailurePolicy) {
    this.#l1 = l1;
    this.#l2 = l2;
    this.#prefix = keyPrefix;
    this.#failurePolicy = failurePolicy;
    this.#now = Date.now;
  }

  getOrCompute<T>(key: string, compute: Compute<T>, options: GetOrComputeOptions<T>): Promise<T> {
    let resolved: ResolvedGetOrComputeOptions<T>;
    try {
      requireKey(key);
      if (typeof compute !== 'function') throw new RedisValidationError('compute must be a function');
      resolved = resolveGetOrComputeOptions(options, this.#failurePolicy);
    } catch (error) {
      return Promise.reject(error);
    }
    const node = this.#l1.store.lookup(key, 'entry', monotonic.now());
    if (node) {
      this.#refreshIfDue(node, key, compute, options, resolved);
      return this.#output(node, key, resolved.schema) as Promise<T>;
    }
    const existing = this.#flights.get(key);
    if (existing) return existing as Promise<T>;
    const flight = this.#fill(key, compute, options, resolved).finally(() => this.#flights.delete(key));
    this.#flights.set(key, flight);
    return flight;
  }

  async #fill<T>(
    key: string,
    compute: Compute<T>,
    options: GetOrComputeOptions<T>,
    resolved: ResolvedGetOrComputeOptions<T>,
  ): Promise<T> {
    const { store } = this.#l1;
    this.#l1.ensureCoherence();
    if (!store.serving) return this.#l2.getOrCompute(key, compute, options);
    const full = this.#prefix + key;
    const ticket = store.begin(key);
    const started = monotonic.now();
    let stored: L1Node | undefined;
    try {
      const [read, pttl] = await this.#l1.readWithTtl(['GET', full], full);
      const text = read?.ok ? read.value : undefined;
      const lifetime = this.#l1.lifetime(pttl, true);
      if (typeof text === 'string' && lifetime !== undefined) {
        const entry = decodeEntry(text, key);
        if (entry.kind === 'value') {
          const value = deepFreeze(entry.value);
          const schema = resolved.schema;
          const output = schema
            ? deepFreeze(await validateWithSchema(schema, value, { key, when: 'read' }))
            : value;
          const expiresAt = started + lifetime;
          const forms: EntryForms = {
            deltaMs: entry.deltaMs,
            wallExpiresAt: entry.expiresAt,
            textLength: text.length,
            schema,
            output,
          };
          stored = store.commit(ticket, {
            kind: 'entry',
            value,
            bytes: estimateBytes(key, text.length) + (schema ? decodedBytes(text.length) : 0),
            expiresAt,
            freshUntil: Math.min(expiresAt, started + Math.max(0, entry.expiresAt - this.#now())),
            extra: forms,
          });
          if (stored) {
            this.#refreshIfDue(stored, key, compute, options, resolved);
            return output as T;
          }
        }
      }
    } catch {
      // Whatever went wrong (Redis unavailable, an entry that is not one), the Redis tier meets it
      // again and answers as it would without an L1: its failure policy, its errors.
    }
    store.cancel(ticket);
    return this.#l2.getOrCompute(key, compute, options);
  }

  /** A stale entry, or a fresh one XFetch picks, is refreshed by one background call of the Redis tier. */
  #refreshIfDue<T>(
    node: L1Node,
    key: string,
    compute: Compute<T>,
    options: GetOrComputeOptions<T>,
    resolved: ResolvedGetOrComputeOptions<T>,
  ): void {
    if (this.#refreshes.has(key)) return;
    const forms = node.extra as EntryForms;
    let refreshOptions = options;
    if (monotonic.now() < node.freshUntil) {
      const early = resolved.earlyRefresh;
      if (
        !early ||
        !xfetchShouldRefresh({
          deltaMs: forms.deltaMs,
          expiresAt: forms.wallExpiresAt,
          now: this.#now(),
          beta: early.beta,
          random: early.random(),
        })
      ) {
        return;
      }
      refreshOptions = { ...options, earlyRefresh: { beta: early.beta, random: ALWAYS } };
    }
    this.#refreshes.add(key);
    this.#l2
      .getOrCompute(key, compute, refreshOptions)
      .catch((error: unknown) => resolved.onRefreshError?.(error))
      .finally(() => this.#refreshes.delete(key));
  }

  #output(node: L1Node, key: string, schema: Schema | undefined): Promise<unknown> {
    const forms = node.extra as EntryForms;
    if (schema === undefined) return Promise.resolve(node.value);
    if (forms.schema === schema) return Promise.resolve(forms.output);
    return validateWithSchema(schema, node.value, { key, when: 'read' }).then((output) => {
      const frozen = deepFreeze(output);
      if (forms.schema === undefined) this.#l1.store.grow(node, decodedBytes(forms.textLength));
      forms.schema = schema;
      forms.output = frozen;
      return frozen;
    });
  }
}
