import type { RedisReply } from '../port/reply.js';
import { entriesOf, integerOf, listOf, malformed, type StreamEntry, textOf } from './stream-entries.js';

/** XPENDING's summary of a group: how many entries are pending, their id range, and who holds them. */
export interface PendingSummary {
  /** How many entries were delivered and not acknowledged. */
  readonly count: number;
  /** The lowest pending id, `null` when nothing is pending. */
  readonly smallestId: string | null;
  /** The highest pending id, `null` when nothing is pending. */
  readonly greatestId: string | null;
  /** Each consumer holding pending entries, with how many. */
  readonly consumers: { readonly name: string; readonly pending: number }[];
}

/** One pending entry (XPENDING with a range). */
export interface PendingEntry {
  readonly id: string;
  /** The consumer that holds it. */
  readonly consumer: string;
  /** Milliseconds since it was last delivered. */
  readonly idleMs: number;
  /** How many times it was delivered (claims included). */
  readonly deliveryCount: number;
}

/** What `xautoclaim` resolves with. */
export interface AutoClaimResult {
  /** Where the next call continues the scan; `0-0` once the whole pending list was scanned. */
  readonly nextId: string;
  /** The entries now held by the claiming consumer. */
  readonly entries: StreamEntry[];
  /** Pending ids whose entries no longer exist: removed from the pending list, nothing to claim. */
  readonly deletedIds: string[];
}

/** What `xautoclaim` with `justId` resolves with. */
export interface AutoClaimIdsResult {
  readonly nextId: string;
  /** The ids now held by the claiming consumer (their delivery counts were not incremented). */
  readonly ids: string[];
  readonly deletedIds: string[];
}

/** Decodes XPENDING's summary form. */
export function pendingSummaryOf(reply: RedisReply): PendingSummary {
  const command = 'XPENDING';
  if (!Array.isArray(reply) || reply.length !== 4) return malformed(command);
  const [count, smallest, greatest, holders] = reply;
  const nullableText = (r: RedisReply | undefined) => (r === null ? null : textOf(r, command));
  return {
    count: integerOf(count, command),
    smallestId: nullableText(smallest),
    greatestId: nullableText(greatest),
    consumers:
      holders === null
        ? []
        : listOf(holders, command).map((holder) => {
            if (!Array.isArray(holder) || holder.length !== 2) return malformed(command);
            return { name: textOf(holder[0], command), pending: integerOf(holder[1], command) };
          }),
  };
}

/** Decodes XPENDING's extended (range) form. */
export function pendingEntriesOf(reply: RedisReply): PendingEntry[] {
  const command = 'XPENDING';
  return listOf(reply, command).map((item) => {
    if (!Array.isArray(item) || item.length !== 4) return malformed(command);
    return {
      id: textOf(item[0], command),
      consumer: textOf(item[1], command),
      idleMs: integerOf(item[2], command),
      deliveryCount: integerOf(item[3], command),
    };
  });
}

/** A list of ids (XCLAIM JUSTID). */
export function idsOf(reply: RedisReply | undefined, command: string): string[] {
  return listOf(reply, command).map((id) => textOf(id, command));
}

/**
 * Decodes XAUTOCLAIM: `[next, entries, deleted]` (Redis 7), or `[next, entries]` (Redis 6.2,
 * where deleted entries appear as `[id, nil]` among the entries).
 */
export function autoClaimOf(reply: RedisReply): AutoClaimResult {
  const command = 'XAUTOCLAIM';
  if (!Array.isArray(reply) || (reply.length !== 2 && reply.length !== 3)) return malformed(command);
  const deletedIds = reply.length === 3 ? idsOf(reply[2], command) : [];
  const entries = entriesOf(reply[1], command, deletedIds);
  return { nextId: textOf(reply[0], command), entries, deletedIds };
}

/** Decodes XAUTOCLAIM ... JUSTID. */
export function autoClaimIdsOf(reply: RedisReply): AutoClaimIdsResult {
  const command = 'XAUTOCLAIM';
  if (!Array.isArray(reply) || (reply.length !== 2 && reply.length !== 3)) return malformed(command);
  return {
    nextId: textOf(reply[0], command),
    ids: idsOf(reply[1], command),
    deletedIds: reply.length === 3 ? idsOf(reply[2], command) : [],
  };
}
