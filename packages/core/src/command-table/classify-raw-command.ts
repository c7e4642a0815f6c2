import type { RedisCommand } from '../port/reply.js';
import { commandInfo } from './command-info.js';
import { argText, commandName, subcommandName } from './command-name.js';
import { keyPositions } from './key-positions.js';
import {
  BLOCKING_BY_NAME,
  BLOCKING_DEFAULT_USE,
  BLOCKING_USE,
  REFUSED_COMMANDS,
} from './raw-command-policy.js';

/**
 * Where a raw command may run: on the shared connection, on a dedicated (blocking) one, or
 * nowhere through `command()`. `command` is its display name (`CLIENT REPLY`) and `use` what
 * the caller should use instead.
 */
export type RawCommandRoute =
  | { readonly route: 'shared' }
  | { readonly route: 'blocking'; readonly command: string; readonly use: string }
  | { readonly route: 'refused'; readonly command: string; readonly use: string };

const SHARED: RawCommandRoute = { route: 'shared' };

/**
 * Decides, before anything is sent, where a raw command may run. `refused`: it would change the
 * state of the connection every caller shares (SUBSCRIBE, MULTI, SELECT, CLIENT REPLY, HELLO, ...).
 * `blocking`: it holds its connection until something happens (the table's `blocking` flag:
 * BLPOP, BZPOPMIN, BLMOVE, XREAD with BLOCK, ...; and WAIT, WAITAOF), so it needs a dedicated one.
 * Everything else (unknown commands included: modules, newer servers) is `shared`.
 */
export function classifyRawCommand(command: RedisCommand): RawCommandRoute {
  const name = commandName(command);
  if (name === undefined) return SHARED;
  const sub = subcommandName(command);
  const refusedSub = sub === undefined ? undefined : REFUSED_COMMANDS[sub];
  if (refusedSub !== undefined) return { route: 'refused', command: displayName(sub!), use: refusedSub };
  const refused = REFUSED_COMMANDS[name];
  if (refused !== undefined) return { route: 'refused', command: displayName(name), use: refused };
  if (blocks(name, command)) {
    return { route: 'blocking', command: displayName(name), use: BLOCKING_USE[name] ?? BLOCKING_DEFAULT_USE };
  }
  return SHARED;
}

function blocks(name: string, command: RedisCommand): boolean {
  if (BLOCKING_BY_NAME.includes(name)) return true;
  const info = commandInfo(command);
  if (!info?.flags.includes('blocking')) return false;
  const token = info.blockingToken?.toLowerCase();
  if (token === undefined) return true;
  // The option counts only before the keys (a stream may well be named BLOCK).
  const end = keyPositions(command)?.[0] ?? command.length;
  for (let i = 1; i < end; i++) if (argText(command[i]!).toLowerCase() === token) return true;
  return false;
}

function displayName(tableName: string): string {
  return tableName.replace('|', ' ').toUpperCase();
}
