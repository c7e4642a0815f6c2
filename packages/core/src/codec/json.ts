import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';
import { jsonPathText, pathToHolder } from './json-path.js';

/**
 * Encodes a value as JSON for storage: the one encoder behind `setJson`, `msetJson`, models,
 * `publishJson` and `getOrCompute` entries. Refuses, before anything is written, every value
 * `JSON.stringify` would silently change, so what is read back is what was written:
 *
 * - `undefined` at the top (`RedisValidationError`: nothing to store);
 * - NaN and ±Infinity (JSON would store `null`), bigint, an invalid Date (`null`);
 * - `undefined`, functions and symbols as object members or array items (JSON drops them or
 *   stores `null`), array holes;
 * - Map, Set and other class instances (JSON keeps only their own enumerable fields and reads
 *   back a plain object): pass a plain object, or give the class a `toJSON()`, whose result is
 *   checked the same way (a Date is encoded by its `toJSON`, as an ISO string);
 * - circular structures.
 *
 * Each refusal is a `RedisSerializationError` naming the key and the `path` of the bad part.
 * Symbol-keyed and non-enumerable properties are not data and are left out, as JSON does.
 */
export function encodeJson(value: unknown, key?: string): string {
  if (value === undefined) {
    throw new RedisValidationError(
      `cannot store undefined as JSON${forKey(key)}`,
      key === undefined ? {} : { key },
    );
  }
  // Most values are plain JSON already: one quick walk proves it, then the native encoder runs
  // alone. Anything else (a toJSON, a deep or cyclic value, a value JSON would change) takes the
  // checking replacer, which finds and names the problem.
  if (isPlainJson(value, 0)) return JSON.stringify(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value, refuseLossy);
  } catch (error) {
    if (error instanceof LossyValue) {
      const path = pathToHolder(value, error.holder, error.member);
      throw new RedisSerializationError(
        `cannot encode value as JSON${forKey(key)}: ${error.what} at ${jsonPathText(path, error.member)} ${error.why}`,
        { ...(key === undefined ? {} : { key }), ...(path === undefined ? {} : { path }) },
      );
    }
    // JSON.stringify throws TypeError for circular references.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisSerializationError(
      `cannot encode value as JSON${forKey(key)}: ${reason}`,
      key === undefined ? {} : { key },
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new RedisSerializationError(
      `value has no JSON form${forKey(key)}`,
      key === undefined ? {} : { key },
    );
  }
  return text;
}

/** Decodes stored JSON text; a value that is not JSON gives `RedisSerializationError` naming the key. */
export function decodeJson(text: string, key?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RedisSerializationError(
      `stored value${forKey(key)} is not valid JSON`,
      key === undefined ? {} : { key },
      { cause: error },
    );
  }
}

function forKey(key: string | undefined): string {
  return key === undefined ? '' : ` for key '${key}'`;
}

/** Deeper than this, the quick walk gives up (cycles, huge nesting) and the replacer decides. */
const QUICK_DEPTH = 64;

/** Whether `value` is JSON as it is: finite numbers, strings, booleans, null, arrays, plain objects without toJSON. */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth > QUICK_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      if (!isPlainObject(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      const record = value as Record<string, unknown>;
      for (const member in record) if (!isPlainJson(record[member], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Thrown inside `JSON.stringify` to stop at the first value JSON would change. */
class LossyValue extends Error {
  constructor(
    readonly holder: unknown,
    readonly member: string,
    readonly what: string,
    readonly why: string,
  ) {
    super(what);
  }
}

// Called by JSON.stringify for every value (after its toJSON), with the object holding it as `this`.
function refuseLossy(this: unknown, member: string, value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      throw new LossyValue(this, member, String(value), '(JSON has no NaN or Infinity: it would store null)');
    case 'bigint':
      throw new LossyValue(this, member, 'a bigint', '(JSON has no bigint: store it as a string)');
    case 'undefined':
      throw new LossyValue(
        this,
        member,
        'undefined',
        '(JSON would drop it or store null: use null, or leave it out)',
      );
    case 'function':
    case 'symbol':
      throw new LossyValue(this, member, `a ${typeof value}`, '(JSON would drop it or store null)');
  }
  const object = value as object | null;
  if (object === null) {
    const original = (this as Record<string, unknown>)[member];
    if (original instanceof Date) {
      throw new LossyValue(this, member, 'an invalid Date', '(JSON would store null)');
    }
    return object;
  }
  if (Array.isArray(object) || isPlainObject(object)) return object;
  throw new LossyValue(this, member, describeInstance(object), instanceAdvice(object));
}

/** A plain object: `{}`, `Object.create(null)`, or one from another realm (its prototype is a root). */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function describeInstance(value: object): string {
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object with a prototype';
}

function instanceAdvice(value: object): string {
  if (value instanceof Map) return '(JSON would store {}: convert it, e.g. Object.fromEntries(map))';
  if (value instanceof Set) return '(JSON would store {}: convert it, e.g. [...set])';
  if (ArrayBuffer.isView(value))
    return '(JSON would store its bytes as an object: store bytes with set/getBytes)';
  return '(JSON would keep only its own enumerable fields and read back a plain object: pass a plain object, or give the class a toJSON())';
}
