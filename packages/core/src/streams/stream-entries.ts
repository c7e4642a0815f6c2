import { RedisSerializationError } from '../errors/redis-error.js';
import type { RedisReply } from '../port/reply.js';

/** One entry of a stream: its id and its fields. */
export interface StreamEntry {
  /** `<ms>-<seq>`, e.g. `1700000000000-0`. */
  readonly id: string;
  /**
   * The entry's fields, name -> value. An entry written elsewhere with a field name twice keeps
   * the last value.
   */
  readonly fields: Record<string, string>;
}

/** The entries read from one stream (XREAD). */
export interface StreamRead {
  /** The stream, without the key prefix. */
  readonly stream: string;
  readonly entries: StreamEntry[];
}

/** The entries read from one stream by a consumer of a group (XREADGROUP). */
export interface StreamGroupRead extends StreamRead {
  /**
   * Entries of the consumer's own pending list that were deleted from the stream since they were
   * delivered (XDEL, trimming): only when reading history (an id instead of `>`). They are still
   * pending until acknowledged.
   */
  readonly deletedIds: string[];
}

/** Throws the error for a reply a stream command cannot have. */
export function malformed(command: string): never {
  throw new RedisSerializationError(`unexpected reply to ${command}`);
}

/** An array inside a stream reply. */
export function listOf(reply: RedisReply | undefined, command: string): RedisReply[] {
  return Array.isArray(reply) ? reply : malformed(command);
}

/** A string inside a stream reply. */
export function textOf(reply: RedisReply | undefined, command: string): string {
  return typeof reply === 'string' ? reply : malformed(command);
}

/** An integer inside a stream reply (counts, idle times). */
export function integerOf(reply: RedisReply | undefined, command: string): number {
  if (typeof reply === 'number' && Number.isSafeInteger(reply)) return reply;
  // Some counts arrive as text (XPENDING's per-consumer counts).
  if (typeof reply === 'string' && /^\d+$/.test(reply)) return Number(reply);
  return malformed(command);
}

/** Sets a field of a record; a field named `__proto__` becomes an own field, not the prototype. */
export function setField(record: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  } else record[name] = value;
}

/** A flat `[name, value, ...]` list as a record (the last value of a repeated name wins). */
export function fieldsOf(reply: RedisReply | undefined, command: string): Record<string, string> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) return malformed(command);
  const fields: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) {
    const name = textOf(reply[i], command);
    const value = textOf(reply[i + 1], command);
    setField(fields, name, value);
  }
  return fields;
}

/** `[id, [field, value, ...]]`, or `[id, nil]` for a deleted entry (`null` then). */
function entryOrDeleted(reply: RedisReply, command: string): StreamEntry | { id: string; fields: null } {
  if (!Array.isArray(reply) || reply.length !== 2) return malformed(command);
  const id = textOf(reply[0], command);
  return reply[1] === null ? { id, fields: null } : { id, fields: fieldsOf(reply[1], command) };
}

/**
 * A list of entries (XRANGE, XREVRANGE, XCLAIM). Entries that no longer exist, which older
 * servers list as `[id, nil]`, are collected into `deleted` when given, and skipped otherwise.
 */
export function entriesOf(reply: RedisReply | undefined, command: string, deleted?: string[]): StreamEntry[] {
  if (!Array.isArray(reply)) return malformed(command);
  const entries: StreamEntry[] = [];
  for (const item of reply) {
    const entry = entryOrDeleted(item, command);
    if (entry.fields) entries.push(entry);
    else deleted?.push(entry.id);
  }
  return entries;
}

/** XREAD's reply: nil, or `[[stream, entries], ...]`. */
export function streamReadsOf(reply: RedisReply, unprefix: (key: string) => string): StreamRead[] {
  return groupReadsOf(reply, unprefix, 'XREAD').map(({ stream, entries }) => ({ stream, entries }));
}

/** XREADGROUP's reply: nil, or `[[stream, entries], ...]`, deleted history entries as `[id, nil]`. */
export function groupReadsOf(
  reply: RedisReply,
  unprefix: (key: string) => string,
  command = 'XREADGROUP',
): StreamGroupRead[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) return malformed(command);
  return reply.map((item) => {
    if (!Array.isArray(item) || item.length !== 2) return malformed(command);
    const deletedIds: string[] = [];
    const entries = entriesOf(item[1], command, deletedIds);
    return { stream: unprefix(textOf(item[0], command)), entries, deletedIds };
  });
}
