import { describe } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';

/** `<ms>` or `<ms>-<seq>`: a stream entry id as Redis writes it (the sequence defaults to 0). */
const ENTRY_ID = /^\d+(?:-\d+)?$/;
/** What XADD accepts as an id: `*`, `<ms>-*` (Redis picks the sequence) or an explicit id. */
const NEW_ENTRY_ID = /^(?:\*|\d+(?:-(?:\d+|\*))?)$/;

/**
 * A bound of a stream range (XRANGE, XREVRANGE, XPENDING): `-` (the first entry), `+` (the last),
 * an id (`1700000000000-0`, or just the milliseconds), or `{ id, exclusive: true }` to leave that
 * id itself out.
 */
export type StreamRangeBound = string | { readonly id: string; readonly exclusive: true };

/** Rejects anything but an entry id (`<ms>` or `<ms>-<seq>`). */
export function requireEntryId(id: unknown, what = 'id'): string {
  if (typeof id !== 'string' || !ENTRY_ID.test(id)) {
    throw new RedisValidationError(
      `${what} must be a stream entry id ('<ms>-<seq>' or '<ms>'), got ${shown(id)}`,
    );
  }
  return id;
}

/** The id of a new entry: `*` (the default), `<ms>-*` or an explicit id. */
export function requireNewEntryId(id: unknown): string {
  if (typeof id !== 'string' || !NEW_ENTRY_ID.test(id)) {
    throw new RedisValidationError(`id must be '*', '<ms>-*' or '<ms>-<seq>', got ${shown(id)}`);
  }
  return id;
}

/** Entry ids, at least one (XDEL, XACK, XCLAIM). */
export function requireEntryIds(ids: readonly unknown[], what: string): string[] {
  if (!Array.isArray(ids) || ids.length === 0)
    throw new RedisValidationError(`${what} needs at least one id`);
  return ids.map((id) => requireEntryId(id));
}

/**
 * Where a read starts (XREAD, XREADGROUP, XGROUP CREATE / SETID): an entry id, or one of the
 * special ids the command allows (`$` for "after the last entry", `>` for "never delivered").
 */
export function requireReadId(id: unknown, special: readonly string[], what: string): string {
  if (typeof id === 'string' && (special.includes(id) || ENTRY_ID.test(id))) return id;
  const allowed = [...special.map((s) => `'${s}'`), 'an entry id'].join(' or ');
  throw new RedisValidationError(`${what} must be ${allowed}, got ${shown(id)}`);
}

/** The argument for a range bound: `-`, `+`, an id, or `(id` for an exclusive one. */
export function rangeBoundArg(bound: unknown, what: string): string {
  if (bound === '-' || bound === '+') return bound;
  if (typeof bound === 'string') return requireEntryId(bound, what);
  if (typeof bound === 'object' && bound !== null && (bound as { exclusive?: unknown }).exclusive === true) {
    return `(${requireEntryId((bound as { id?: unknown }).id, `${what}.id`)}`;
  }
  throw new RedisValidationError(
    `${what} must be '-', '+', an entry id or { id, exclusive: true }, got ${shown(bound)}`,
  );
}

function shown(value: unknown): string {
  return typeof value === 'string' && value.length > 0 && value.length <= 40 ? `'${value}'` : describe(value);
}

/** Orders two entry ids as Redis does (milliseconds, then sequence): negative, 0 or positive. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq = '0'] = a.split('-');
  const [bMs, bSeq = '0'] = b.split('-');
  const ms = BigInt(aMs!) - BigInt(bMs!);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(aSeq) - BigInt(bSeq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}
