import type { RedisCommand } from '../port/reply.js';
import { commandInfo, type KeySpec } from './command-info.js';
import { argText } from './command-name.js';
import { KEY_FINDERS } from './key-finders.js';

/** Options of `keyPositions`. */
export interface KeyPositionsOptions {
  /**
   * Also the positions of specs flagged `not_key`: the shard channels of SPUBLISH, SSUBSCRIBE and
   * SUNSUBSCRIBE, which a cluster routes by slot like keys but which are not keys (never prefixed).
   */
  readonly includeNotKeys?: boolean;
}

/** The arguments do not fit a key spec: the server would reject the command. */
export const INVALID = 'invalid';

/**
 * The indexes of `command`'s keys (0 is the command's name), found from the server's own key
 * specs as the server finds them: keyword searches (XREAD `STREAMS`), key counts (EVAL, ZUNION,
 * LMPOP), negative ranges (BLPOP's keys before the timeout), subcommands (`XINFO STREAM key`).
 * The same answer as `COMMAND GETKEYS`; `[]` for a command without keys or with arguments the
 * server would reject; `undefined` for a command the table does not know. Slot routing and
 * `command(argv, { prefixKeys: true })` both use this.
 */
export function keyPositions(command: RedisCommand, options?: KeyPositionsOptions): number[] | undefined {
  const found = locateKeys(command, options);
  return found === INVALID ? [] : found;
}

/**
 * `keyPositions`, telling arguments that do not fit the key specs (`INVALID`: a key count that
 * is not a count, a range past the end) apart from a command without keys.
 */
export function locateKeys(
  command: RedisCommand,
  options?: KeyPositionsOptions,
): number[] | typeof INVALID | undefined {
  const info = commandInfo(command);
  if (!info) return undefined;
  const finder = KEY_FINDERS[info.name];
  if (finder) return finder(command);
  const positions: number[] = [];
  for (const spec of info.keySpecs) {
    if (spec.flags.includes('not_key') && options?.includeNotKeys !== true) continue;
    const found = specPositions(spec, command);
    if (found === INVALID) return INVALID;
    positions.push(...found);
  }
  return positions;
}

/** The positions one key spec finds; `INVALID` when its range does not fit the arguments. */
function specPositions(spec: KeySpec, command: RedisCommand): number[] | typeof INVALID {
  const argc = command.length;
  const first = beginPosition(spec, command);
  // An unknown search names keys the specs cannot locate (a `KEY_FINDERS` entry has them);
  // a keyword that is absent means the optional keys are absent.
  if (first === undefined) return [];
  const { findKeys } = spec;
  let start = first;
  let last: number;
  let step: number;
  if (findKeys.type === 'range') {
    step = findKeys.keyStep;
    if (findKeys.lastKey >= 0) last = first + findKeys.lastKey;
    else if (findKeys.limit === 0) last = argc + findKeys.lastKey;
    else last = first + Math.floor((argc - first) / findKeys.limit) + findKeys.lastKey;
  } else if (findKeys.type === 'keynum') {
    step = findKeys.keyStep;
    const count = command[first + findKeys.keyNumIndex];
    const numKeys = count === undefined ? Number.NaN : strictInteger(argText(count));
    if (!(numKeys >= 0)) return INVALID;
    // EVAL script 0, FCALL f 0: a count of no keys names none (commands that need one refuse it).
    if (numKeys === 0) return [];
    start = first + findKeys.firstKey;
    last = start + (numKeys - 1) * step;
  } else {
    return [];
  }
  if (last >= argc || last < start || start >= argc || step < 1) return INVALID;
  const positions: number[] = [];
  for (let i = start; i <= last; i += step) positions.push(i);
  return positions;
}

/** Where a spec's keys start, or `undefined` when its keyword is absent or its search unknown. */
function beginPosition(spec: KeySpec, command: RedisCommand): number | undefined {
  const { beginSearch } = spec;
  if (beginSearch.type === 'index') return beginSearch.index;
  if (beginSearch.type === 'unknown') return undefined;
  const argc = command.length;
  const { keyword, startFrom } = beginSearch;
  const from = startFrom > 0 ? startFrom : argc + startFrom;
  const end = startFrom > 0 ? argc - 1 : 1;
  const wanted = keyword.toLowerCase();
  // The server's own scan: forwards from `startFrom`, or backwards from the end when negative.
  for (let i = from; i !== end; i = from <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (argText(command[i]!).toLowerCase() === wanted) return i + 1;
  }
  return undefined;
}

/** The integer a decimal text spells exactly (as the server parses it), or NaN. */
function strictInteger(text: string): number {
  return /^-?(?:0|[1-9]\d{0,15})$/.test(text) ? Number(text) : Number.NaN;
}
