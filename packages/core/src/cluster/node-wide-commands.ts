import { commandInfo } from '../command-table/command-info.js';
import { commandName } from '../command-table/command-name.js';
import type { RedisCommand } from '../port/reply.js';
import { commandKeyIndexes } from './command-keys.js';

/** The server's own hints (COMMAND INFO tips) that a keyless command is meant for every node. */
const EVERY_NODE_TIPS = ['request_policy:all_shards', 'request_policy:all_nodes', 'request_policy:special'];

/** Keyless commands whose answer is a node's own although the server gives no such tip. */
const NODE_OWN = new Set(['pubsub', 'swapdb', 'lastsave', 'save', 'bgsave', 'bgrewriteaof']);

/** Keyless commands with an every-node tip that answer the same on any node. */
const ANY_NODE = new Set(['ping']);

/**
 * The name (uppercase, with its subcommand) of a keyless command whose answer or effect belongs to
 * one node: its keyspace (DBSIZE, KEYS, SCAN, RANDOMKEY, FLUSHALL), its scripts and functions
 * (SCRIPT LOAD, FUNCTION LOAD), its state and counters (INFO, MEMORY STATS, CONFIG SET, CLIENT
 * LIST, PUBSUB NUMSUB, WAIT), read from the command table: the server's `request_policy` tips
 * (all shards, all nodes, special), the `admin` flag, and a few commands the tips do not cover.
 * Sent through `command()` on a cluster such a command would run on whichever node the driver
 * picked, so it is refused there; `redis.masters()` runs it on each master. FT.* commands count
 * too: they need the search coordinator, which a plain cluster does not have. Keyless commands
 * that answer the same anywhere (PING, ECHO, TIME, PUBLISH, CLUSTER INFO, COMMAND, ...) are not
 * refused; `undefined` for those and for every command with a key.
 */
export function nodeWideCommand(command: RedisCommand): string | undefined {
  const name = commandName(command);
  if (name === undefined) return undefined;
  if (name.startsWith('ft.')) return name.toUpperCase();
  const info = commandInfo(command);
  if (!info || (commandKeyIndexes(command) ?? []).length > 0 || ANY_NODE.has(info.name)) return undefined;
  const everyNode = info.tips.some((tip) => EVERY_NODE_TIPS.includes(tip));
  const own = info.flags.includes('admin') || NODE_OWN.has(info.name.split('|')[0]!);
  return everyNode || own ? info.name.replace('|', ' ').toUpperCase() : undefined;
}
