import { commandInfo } from '@redis-service/core';

/** Names looked up so far (bounded: a raw command's name comes from the caller). */
const known = new Map<string, boolean>();
const MAX_CACHED_NAMES = 512;

/**
 * Whether node-redis' cluster would send `name` to the master of its routing key's slot, so the
 * driver may send it to that master itself, past node-redis' per-command routing (a parser, a
 * policy lookup and, for MGET, MSET, DEL, UNLINK, EXISTS and TOUCH, a split by slot of keys core
 * already put in one slot). That holds for every command core's table knows: node-redis routes
 * each such command with keys by its key (or splits it by slot), and the only keyless one core
 * gives a slot, PUBLISH, the driver sends to its channel's master on purpose. A command the table
 * does not know (a module's, e.g. FT.SEARCH or TS.MGET, which node-redis may send anywhere or to
 * every shard) keeps node-redis' own routing.
 *
 * @param name the command's name as sent (any case); a Buffer name takes node-redis' routing
 */
export function sentToKeySlot(name: string | Buffer | undefined): boolean {
  if (typeof name !== 'string') return false;
  let direct = known.get(name);
  if (direct === undefined) {
    direct = commandInfo(name) !== undefined;
    if (known.size < MAX_CACHED_NAMES) known.set(name, direct);
  }
  return direct;
}
