import type { RedisReply } from '../port/reply.js';
import { entriesOf, integerOf, listOf, malformed, type StreamEntry, textOf } from './stream-entries.js';

/** What `xinfoStream` tells about a stream (XINFO STREAM). Fields newer than Redis 6.2 are optional. */
export interface StreamInfo {
  /** How many entries it holds. */
  readonly length: number;
  readonly radixTreeKeys: number;
  readonly radixTreeNodes: number;
  /** The id of the last entry added (also when it was deleted since). */
  readonly lastGeneratedId: string;
  /** The highest id deleted (XDEL or trimming); Redis 7. */
  readonly maxDeletedEntryId?: string;
  /** How many entries were ever added; Redis 7. */
  readonly entriesAdded?: number;
  /** The id of the first entry still in the stream (`0-0` when empty); Redis 7. */
  readonly recordedFirstEntryId?: string;
  /** How many consumer groups it has. */
  readonly groups: number;
  readonly firstEntry: StreamEntry | null;
  readonly lastEntry: StreamEntry | null;
}

/** One consumer group of a stream (XINFO GROUPS). */
export interface StreamGroupInfo {
  readonly name: string;
  /** How many consumers it has. */
  readonly consumers: number;
  /** How many entries were delivered to its consumers and not acknowledged yet. */
  readonly pending: number;
  /** The id of the last entry delivered to the group. */
  readonly lastDeliveredId: string;
  /** How many entries the group has read (Redis 7; `null` when the server cannot tell). */
  readonly entriesRead?: number | null;
  /** How many entries are still to be delivered to the group (Redis 7; `null` when unknown). */
  readonly lag?: number | null;
}

/** One consumer of a group (XINFO CONSUMERS). */
export interface StreamConsumerInfo {
  readonly name: string;
  /** How many entries it holds pending (delivered, not acknowledged). */
  readonly pending: number;
  /** Milliseconds since it last tried to read or claim. */
  readonly idleMs: number;
  /** Milliseconds since it last read or claimed an entry successfully (Redis 7.2). */
  readonly inactiveMs?: number;
}

/** XINFO's flat `[name, value, ...]` reply as a map. */
function infoMap(reply: RedisReply, command: string): Map<string, RedisReply> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) return malformed(command);
  const map = new Map<string, RedisReply>();
  for (let i = 0; i < reply.length; i += 2) map.set(textOf(reply[i], command), reply[i + 1]!);
  return map;
}

function optional<T>(
  map: Map<string, RedisReply>,
  name: string,
  read: (reply: RedisReply) => T,
): T | undefined {
  return map.has(name) ? read(map.get(name)!) : undefined;
}

function oneEntry(reply: RedisReply, command: string): StreamEntry | null {
  return reply === null ? null : (entriesOf([reply], command)[0] ?? null);
}

/** Decodes XINFO STREAM (without FULL). */
export function streamInfoOf(reply: RedisReply): StreamInfo {
  const command = 'XINFO STREAM';
  const map = infoMap(reply, command);
  const integer = (name: string) => integerOf(map.get(name), command);
  const text = (name: string) => textOf(map.get(name), command);
  const maxDeletedEntryId = optional(map, 'max-deleted-entry-id', (r) => textOf(r, command));
  const entriesAdded = optional(map, 'entries-added', (r) => integerOf(r, command));
  const recordedFirstEntryId = optional(map, 'recorded-first-entry-id', (r) => textOf(r, command));
  return {
    length: integer('length'),
    radixTreeKeys: integer('radix-tree-keys'),
    radixTreeNodes: integer('radix-tree-nodes'),
    lastGeneratedId: text('last-generated-id'),
    ...(maxDeletedEntryId === undefined ? {} : { maxDeletedEntryId }),
    ...(entriesAdded === undefined ? {} : { entriesAdded }),
    ...(recordedFirstEntryId === undefined ? {} : { recordedFirstEntryId }),
    groups: integer('groups'),
    firstEntry: oneEntry(map.get('first-entry') ?? null, command),
    lastEntry: oneEntry(map.get('last-entry') ?? null, command),
  };
}

/** Decodes XINFO GROUPS. */
export function groupInfosOf(reply: RedisReply): StreamGroupInfo[] {
  const command = 'XINFO GROUPS';
  return listOf(reply, command).map((item) => {
    const map = infoMap(item, command);
    const nullableInteger = (r: RedisReply) => (r === null ? null : integerOf(r, command));
    const entriesRead = optional(map, 'entries-read', nullableInteger);
    const lag = optional(map, 'lag', nullableInteger);
    return {
      name: textOf(map.get('name'), command),
      consumers: integerOf(map.get('consumers'), command),
      pending: integerOf(map.get('pending'), command),
      lastDeliveredId: textOf(map.get('last-delivered-id'), command),
      ...(entriesRead === undefined ? {} : { entriesRead }),
      ...(lag === undefined ? {} : { lag }),
    };
  });
}

/** Decodes XINFO CONSUMERS. */
export function consumerInfosOf(reply: RedisReply): StreamConsumerInfo[] {
  const command = 'XINFO CONSUMERS';
  return listOf(reply, command).map((item) => {
    const map = infoMap(item, command);
    const inactiveMs = optional(map, 'inactive', (r) => integerOf(r, command));
    return {
      name: textOf(map.get('name'), command),
      pending: integerOf(map.get('pending'), command),
      idleMs: integerOf(map.get('idle'), command),
      ...(inactiveMs === undefined ? {} : { inactiveMs }),
    };
  });
}
