import type { RedisCommand } from '../port/reply.js';
import { commandName, subcommandName } from './command-name.js';
import type { CommandRow, KeySpecRow } from './command-row.js';
import {
  ACL_CATEGORIES,
  COMMAND_FLAGS,
  COMMAND_GROUPS,
  COMMAND_ROWS,
  COMMAND_TIPS,
  KEY_SPEC_FLAGS,
} from './commands.generated.js';

/** A command flag of the server's metadata (`write`, `readonly`, `blocking`, `pubsub`, `noscript`, ...). */
export type CommandFlag = (typeof COMMAND_FLAGS)[number];

/** An ACL category, without the `@` (`read`, `write`, `dangerous`, ...). */
export type AclCategory = (typeof ACL_CATEGORIES)[number];

/** A key spec flag (`RW`, `RO`, `OW`, `RM`, `access`, `not_key`, `incomplete`, ...). */
export type KeySpecFlag = (typeof KEY_SPEC_FLAGS)[number];

/** Where a key spec's search for keys begins. */
export type KeySpecBeginSearch =
  | { readonly type: 'index'; readonly index: number }
  /** After the first `keyword` found from `startFrom` (negative: counted from the end, searching backwards). */
  | { readonly type: 'keyword'; readonly keyword: string; readonly startFrom: number }
  | { readonly type: 'unknown' };

/** How a key spec finds its keys once the search has begun. */
export type KeySpecFindKeys =
  /**
   * Keys up to `lastKey` past the start (negative: counted from the end; with `limit` > 1 only
   * the first 1/limit of the remaining arguments, e.g. the keys half of XREAD STREAMS).
   */
  | { readonly type: 'range'; readonly lastKey: number; readonly keyStep: number; readonly limit: number }
  /** An argument `keyNumIndex` past the start says how many keys follow, from `firstKey` past the start. */
  | {
      readonly type: 'keynum';
      readonly keyNumIndex: number;
      readonly firstKey: number;
      readonly keyStep: number;
    }
  | { readonly type: 'unknown' };

/** One key spec of a command, as the server describes it (`COMMAND INFO`). */
export interface KeySpec {
  readonly flags: readonly KeySpecFlag[];
  readonly beginSearch: KeySpecBeginSearch;
  readonly findKeys: KeySpecFindKeys;
}

/** What the command table knows about one command or subcommand. */
export interface CommandInfo {
  /** Lowercase; a subcommand is `container|sub` (`client|reply`, `xinfo|stream`). */
  readonly name: string;
  /** The argument count including the name; negative: at least that many. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly aclCategories: readonly AclCategory[];
  /** Hints for clients, e.g. `request_policy:all_shards` (the cluster's routing policy). */
  readonly tips: readonly string[];
  /** The group of COMMAND DOCS: `string`, `list`, `connection`, `server`, ... */
  readonly group: string;
  /** The legacy key positions (first, last, step); the key specs are exact where these are not. */
  readonly firstKey: number;
  readonly lastKey: number;
  readonly keyStep: number;
  readonly keySpecs: readonly KeySpec[];
  /**
   * For a command flagged `blocking` that blocks only when given this option (XREAD `BLOCK`);
   * `undefined` for one that always blocks (BLPOP) or never does.
   */
  readonly blockingToken: string | undefined;
}

let rows: Map<string, CommandRow> | undefined;
let containers: Set<string> | undefined;
const decoded = new Map<string, CommandInfo>();

function index(): Map<string, CommandRow> {
  if (!rows) {
    rows = new Map();
    containers = new Set();
    for (const row of COMMAND_ROWS) {
      rows.set(row[0], row);
      const bar = row[0].indexOf('|');
      if (bar > 0) containers.add(row[0].slice(0, bar));
    }
  }
  return rows;
}

/**
 * What the command table (read from the server's own `COMMAND INFO` / `COMMAND DOCS`) knows about
 * a command: its arity, flags, ACL categories, key specs. Give an argument vector to resolve a
 * subcommand (`['CLIENT', 'REPLY', 'OFF']` -> `client|reply`) or a name (`'get'`, `'client|reply'`).
 * `undefined` for a command the table does not know (a module's, or one newer than the table).
 */
export function commandInfo(command: RedisCommand | string): CommandInfo | undefined {
  const table = index();
  const name = typeof command === 'string' ? command.toLowerCase() : tableName(command);
  if (name === undefined) return undefined;
  const cached = decoded.get(name);
  if (cached) return cached;
  const row = table.get(name);
  if (!row) return undefined;
  const info = decode(row);
  decoded.set(name, info);
  return info;
}

/** Whether the table knows subcommands of `name` (`client`, `xinfo`, ...). */
export function hasSubcommands(name: string): boolean {
  index();
  return containers!.has(name);
}

/**
 * The table's name for an argument vector: `container|sub` when the table knows that
 * subcommand, else the command's own name (an unknown subcommand is the server's to refuse).
 */
function tableName(command: RedisCommand): string | undefined {
  const name = commandName(command);
  if (name === undefined || !hasSubcommands(name)) return name;
  const sub = subcommandName(command);
  return sub !== undefined && rows!.has(sub) ? sub : name;
}

function decode(row: CommandRow): CommandInfo {
  const [name, arity, flags, acl, group, firstKey, lastKey, keyStep, specs, tips = 0, blockingToken] = row;
  return {
    name,
    arity,
    flags: names(flags, COMMAND_FLAGS),
    aclCategories: names(acl, ACL_CATEGORIES),
    tips: names(tips, COMMAND_TIPS),
    group: COMMAND_GROUPS[group] ?? 'unknown',
    firstKey,
    lastKey,
    keyStep,
    keySpecs: specs.map(decodeKeySpec),
    blockingToken,
  };
}

function decodeKeySpec(spec: KeySpecRow): KeySpec {
  const [flags, beginType, beginA, beginB, findType, findA, findB, findC] = spec;
  const beginSearch: KeySpecBeginSearch =
    beginType === 1
      ? { type: 'index', index: Number(beginA) }
      : beginType === 2
        ? { type: 'keyword', keyword: String(beginA), startFrom: beginB }
        : { type: 'unknown' };
  const findKeys: KeySpecFindKeys =
    findType === 1
      ? { type: 'range', lastKey: findA, keyStep: findB, limit: findC }
      : findType === 2
        ? { type: 'keynum', keyNumIndex: findA, firstKey: findB, keyStep: findC }
        : { type: 'unknown' };
  return { flags: names(flags, KEY_SPEC_FLAGS), beginSearch, findKeys };
}

function names<T extends string>(mask: number, vocabulary: readonly T[]): T[] {
  const found: T[] = [];
  for (let bit = 0; bit < vocabulary.length; bit++) if (mask & (1 << bit)) found.push(vocabulary[bit]!);
  return found;
}
