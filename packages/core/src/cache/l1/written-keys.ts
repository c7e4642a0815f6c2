import { commandInfo, hasSubcommands } from '../../command-table/command-info.js';
import { argText } from '../../command-table/command-name.js';
import { keyPositions } from '../../command-table/key-positions.js';
import type { RedisCommand } from '../../port/reply.js';

/**
 * What a command sent through the service may change, for the L1: `'all'` (FLUSHDB, FLUSHALL),
 * or keys (full, as sent), with `announce` saying whether other processes must hear of them (on
 * the `'bus'` coherence). `undefined`: nothing an L1 holds.
 */
export type WrittenKeys = 'all' | { readonly keys: readonly string[]; readonly announce: boolean };

type Effect = 'none' | 'write' | 'script' | 'flush' | 'by-subcommand';

// The effect of a command by its name as sent ('GET', 'set', ...): the hot path costs one lookup.
// Bounded: raw commands may spell names in any case.
const effects = new Map<string, Effect>();
const MAX_REMEMBERED_NAMES = 2048;

const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'fcall']);
const FLUSH_COMMANDS = new Set(['flushdb', 'flushall']);

/**
 * The keys `command` may write, from the command table: a command flagged `write` (SET, DEL,
 * HSET, EXPIRE, ...) writes the keys its key specs name; a script (EVAL, EVALSHA, FCALL; not the
 * `_RO` forms) may write any key it is given; FLUSHDB and FLUSHALL write everything. Commands the
 * table does not know (a module's) are not seen: only tracking hears of their writes.
 */
export function writtenKeys(command: RedisCommand): WrittenKeys | undefined {
  const name = command[0];
  let effect = typeof name === 'string' ? effects.get(name) : undefined;
  if (effect === undefined) {
    effect = effectOf(command);
    if (typeof name === 'string' && effects.size < MAX_REMEMBERED_NAMES) effects.set(name, effect);
  }
  if (effect === 'by-subcommand') effect = subcommandEffect(command);
  if (effect === 'none') return undefined;
  if (effect === 'flush') return 'all';
  const positions = keyPositions(command) ?? [];
  if (positions.length === 0) return undefined;
  return { keys: positions.map((position) => argText(command[position]!)), announce: true };
}

function effectOf(command: RedisCommand): Effect {
  const name = command[0];
  if (name === undefined) return 'none';
  const lower = argText(name).toLowerCase();
  if (hasSubcommands(lower)) return 'by-subcommand';
  return nameEffect(lower, command);
}

function subcommandEffect(command: RedisCommand): Effect {
  const info = commandInfo(command);
  return info ? nameEffect(info.name, command) : 'none';
}

function nameEffect(lower: string, command: RedisCommand): Effect {
  if (FLUSH_COMMANDS.has(lower)) return 'flush';
  if (SCRIPT_COMMANDS.has(lower)) return 'script';
  const info = commandInfo(lower.includes('|') ? lower : command);
  return info?.flags.includes('write') ? 'write' : 'none';
}
