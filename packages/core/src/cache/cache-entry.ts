import { decodeJson, encodeJson } from '../codec/json.js';
import { RedisSerializationError } from '../errors/redis-error.js';
import { type ComputeErrorInfo, parseComputeErrorInfo } from './cache-errors.js';

/**
 * What the value key holds: a small JSON envelope around the value, so stale-while-revalidate and
 * XFetch know when it stops being fresh (`e`, epoch ms) and how long it took to compute (`d`, ms).
 * A negative entry holds the error instead (`x`).
 */
export type CacheEntry =
  | { readonly kind: 'value'; readonly value: unknown; readonly deltaMs: number; readonly expiresAt: number }
  | { readonly kind: 'error'; readonly error: ComputeErrorInfo; readonly expiresAt: number };

/** Encodes a value entry (JSON codec: `undefined`, BigInt and cycles are refused). */
export function encodeValueEntry(value: unknown, deltaMs: number, expiresAt: number, key: string): string {
  // Encoded separately first so an unencodable value is reported about the value, not the envelope.
  const text = encodeJson(value, key);
  return `{"v":${text},"d":${Math.max(0, Math.round(deltaMs))},"e":${expiresAt}}`;
}

/** Encodes a negative-cache entry. */
export function encodeErrorEntry(error: ComputeErrorInfo, expiresAt: number): string {
  return JSON.stringify({ x: error, e: expiresAt });
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
