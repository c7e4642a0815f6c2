import type { RedisCommand } from '../port/reply.js';
import { commandKeyIndexes } from './command-keys.js';

/**
 * Keyless commands whose answer or effect belongs to one node: its keyspace (DBSIZE, KEYS, SCAN,
 * FLUSHALL, RANDOMKEY), its scripts and functions, its configuration and its counters. Sent
 * through `command()` on a cluster they would run on whichever node the driver picks, so they
 * are refused there; `redis.masters()` runs them on each master (or on the one you choose).
 * PUBSUB counts too: its answers (NUMSUB, CHANNELS, SHARDNUMSUB) are the node's own subscribers.
 * Keyless commands that answer the same anywhere (PING, ECHO, TIME, PUBLISH, CLUSTER INFO,
 * COMMAND ...) are not refused.
 */
const NODE_WIDE = new Set([
  'DBSIZE',
  'KEYS',
  'SCAN',
  'RANDOMKEY',
  'FLUSHALL',
  'FLUSHDB',
  'SCRIPT',
  'FUNCTION',
  'CONFIG',
  'INFO',
  'MEMORY',
  'LATENCY',
  'SLOWLOG',
  'SAVE',
  'BGSAVE',
  'BGREWRITEAOF',
  'LASTSAVE',
  'ACL',
  'DEBUG',
  'SHUTDOWN',
  'WAIT',
  'WAITAOF',
  'SWAPDB',
  'PUBSUB',
]);

/**
 * `command`'s name when it has no key and acts on one node's keyspace or state (see above), else
 * `undefined`. FT.* commands count too: on a cluster they need the search coordinator, which a
 * plain cluster does not have, so one node would answer for its own shard only.
 */
export function nodeWideCommand(command: RedisCommand): string | undefined {
  const first = command[0];
  if (first === undefined) return undefined;
  const name = (first instanceof Uint8Array ? new TextDecoder().decode(first) : String(first)).toUpperCase();
  if (!NODE_WIDE.has(name) && !name.startsWith('FT.')) return undefined;
  // MEMORY USAGE names a key: it goes to that key's node like any keyed command.
  return (commandKeyIndexes(command) ?? []).length === 0 ? name : undefined;
}
