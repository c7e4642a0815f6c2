import { RedisValidationError } from '../errors/redis-error.js';

/** A vector as given by the caller. */
export type VectorInput = Float32Array | readonly number[];

/**
 * The FLOAT32 little-endian bytes RediSearch expects for a vector (whatever the platform's
 * endianness). Refuses a wrong length, NaN, infinities and numbers beyond the FLOAT32 range
 * (which would silently become Infinity) before anything is sent.
 */
export function encodeVector(vector: VectorInput, dims: number | undefined, what = 'vector'): Uint8Array {
  if (!(vector instanceof Float32Array) && !Array.isArray(vector)) {
    throw new RedisValidationError(`${what} must be a Float32Array or an array of numbers`);
  }
  if (vector.length === 0) throw new RedisValidationError(`${what} must not be empty`);
  if (dims !== undefined && vector.length !== dims) {
    throw new RedisValidationError(`${what} has ${vector.length} dimensions; the index expects ${dims}`);
  }
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i++) {
    const value: unknown = vector[i];
    if (typeof value !== 'number' || !Number.isFinite(Math.fround(value))) {
      throw new RedisValidationError(`${what}[${i}] must be a finite FLOAT32 number, got ${String(value)}`, {
        issues: [{ message: 'not a finite FLOAT32 number', path: [i] }],
      });
    }
    view.setFloat32(i * 4, value, true);
  }
  return bytes;
}

/** The numbers of FLOAT32 little-endian vector bytes (the inverse of `encodeVector`). */
export function decodeVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new RedisValidationError(`vector bytes must be a multiple of 4 long, got ${bytes.byteLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}
