import { decodeJson, encodeJson } from '../codec/json.js';
import { RedisSerializationError } from '../errors/redis-error.js';
import { type CacheComputeError, type ComputeErrorInfo, parseComputeErrorInfo } from './cache-errors.js';

/**
 * What the value key holds: a small JSON envelope around the value, so stale-while-revalidate and
 * XFetch know when it stops being fresh (`e`, epoch ms) and how long it took to compute (`d`, ms):
 * `{"v":<value>,"d":<ms>,"e":<epoch ms>}`. A negative entry holds the error instead:
 * `{"x":{"name","message","code"?},"e":<epoch ms>}`.
 */
export type CacheEntry =
  | { readonly kind: 'value'; readonly value: unknown; readonly deltaMs: number; readonly expiresAt: number }
  | { readonly kind: 'error'; readonly error: ComputeErrorInfo; readonly expiresAt: number };

/**
 * What `peekCached` finds at a key `getOrCompute` wrote: the envelope decoded (and, with a schema,
 * the value checked), so nobody has to parse `{v,d,e}` by hand.
 */
export type CachedEntry<T> =
  | {
      readonly kind: 'value';
      readonly value: T;
      /** Whether it is still fresh by this process's clock; a stale one is served while refreshed. */
      readonly fresh: boolean;
      /** When it stops being fresh (epoch ms). The key itself lives `staleTtlMs` longer. */
      readonly freshUntil: number;
      /** How long the compute that produced it took (ms). */
      readonly computeMs: number;
    }
  | {
      readonly kind: 'error';
      /** The cached failure (`negativeTtlMs`), as callers get it. */
      readonly error: CacheComputeError;
      /** When it stops being served (epoch ms). */
      readonly expiresAt: number;
    };

/** A value entry around `valueText`, the value already encoded with `encodeJson`. */
export function valueEntryText(valueText: string, deltaMs: number, expiresAt: number): string {
  return `{"v":${valueText},"d":${Math.max(0, Math.round(deltaMs))},"e":${expiresAt}}`;
}

/** Encodes a negative-cache entry. */
export function encodeErrorEntry(error: ComputeErrorInfo, expiresAt: number): string {
  return encodeJson({ x: error, e: expiresAt });
}

/** Decodes what the value key holds; anything that is not an envelope is a `RedisSerializationError`. */
export function decodeEntry(text: string, key: string): CacheEntry {
  const parsed = decodeJson(text, key);
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    const expiresAt = record.e;
    if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) {
      if ('v' in record) {
        const delta = typeof record.d === 'number' && Number.isFinite(record.d) ? record.d : 0;
        return { kind: 'value', value: record.v, deltaMs: delta, expiresAt };
      }
      if ('x' in record) return { kind: 'error', error: parseComputeErrorInfo(record.x), expiresAt };
    }
  }
  throw new RedisSerializationError(
    `the value at key '${key}' is not a getOrCompute entry (was it written by something else?)`,
    { key },
  );
}
