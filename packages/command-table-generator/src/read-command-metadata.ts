import type {
  CommandInfo,
  KeySpec,
  KeySpecBeginSearch,
  KeySpecFindKeys,
  RedisReply,
} from '@redis-service/core';
import { type CommandDoc, type DocArgument, readCommandDocs } from './command-docs.js';
import { asArray, asMap, asNumber, asText, asTexts } from './reply-shapes.js';
import type { Send } from './send.js';

/**
 * One key spec as the server describes it: core's `KeySpec`, with flags as plain strings (a newer
 * server may name flags the committed table does not know yet).
 */
export type KeySpecMetadata = Omit<KeySpec, 'flags'> & { readonly flags: readonly string[] };

/** Everything the table holds about one command or subcommand: core's `CommandInfo`, names as plain strings. */
export type CommandMetadata = Omit<CommandInfo, 'flags' | 'aclCategories' | 'keySpecs'> & {
  readonly flags: readonly string[];
  readonly aclCategories: readonly string[];
  readonly keySpecs: readonly KeySpecMetadata[];
};

/** The metadata of a whole server. */
export interface ServerMetadata {
  /** `redis_version` from `INFO server`. */
  readonly version: string;
  /** Every command and subcommand, sorted by name. */
  readonly commands: readonly CommandMetadata[];
}

/**
 * Reads `COMMAND INFO` (every command, subcommands included) and `COMMAND DOCS` (the group, and
 * which blocking commands block only with an option) from a server.
 */
export async function readCommandMetadata(send: Send): Promise<ServerMetadata> {
  const info = asText(await send(['INFO', 'server']), 'INFO server');
  const version = /^redis_version:(.+)$/m.exec(info)?.[1]?.trim();
  if (!version) throw new Error('INFO server did not say the redis_version');
  const docs = await readCommandDocs(send);
  const commands: CommandMetadata[] = [];
  for (const entry of asArray(await send(['COMMAND', 'INFO']), 'COMMAND INFO')) {
    collect(entry, docs, commands);
  }
  commands.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { version, commands };
}

function collect(reply: RedisReply, docs: Map<string, CommandDoc>, into: CommandMetadata[]): void {
  const entry = asArray(reply, 'a COMMAND INFO entry');
  const name = asText(entry[0], 'a command name').toLowerCase();
  const doc = docs.get(name);
  if (!doc) throw new Error(`COMMAND DOCS does not describe ${name}`);
  const flags = asTexts(entry[2], `the flags of ${name}`);
  into.push({
    name,
    arity: asNumber(entry[1], `the arity of ${name}`),
    flags,
    firstKey: asNumber(entry[3], `the first key of ${name}`),
    lastKey: asNumber(entry[4], `the last key of ${name}`),
    keyStep: asNumber(entry[5], `the key step of ${name}`),
    aclCategories: asTexts(entry[6], `the ACL categories of ${name}`).map((category) =>
      category.replace(/^@/, ''),
    ),
    tips: asTexts(entry[7], `the tips of ${name}`),
    keySpecs: asArray(entry[8], `the key specs of ${name}`).map((spec) => parseKeySpec(spec, name)),
    group: doc.group,
    blockingToken: flags.includes('blocking') ? optionalBlockToken(doc.arguments) : undefined,
  });
  for (const subcommand of asArray(entry[9] ?? [], `the subcommands of ${name}`)) {
    collect(subcommand, docs, into);
  }
}

/**
 * A command flagged `blocking` blocks only when given an optional `BLOCK` argument (XREAD,
 * XREADGROUP); otherwise (BLPOP, ...) it always blocks.
 */
function optionalBlockToken(args: readonly DocArgument[]): string | undefined {
  const block = args.find((arg) => arg.token?.toUpperCase() === 'BLOCK' && arg.flags.includes('optional'));
  return block?.token;
}

function parseKeySpec(reply: RedisReply, command: string): KeySpecMetadata {
  const spec = asMap(reply, `a key spec of ${command}`);
  const begin = asMap(spec.get('begin_search'), `begin_search of ${command}`);
  const find = asMap(spec.get('find_keys'), `find_keys of ${command}`);
  return {
    flags: asTexts(spec.get('flags'), `key spec flags of ${command}`),
    beginSearch: parseBeginSearch(begin, command),
    findKeys: parseFindKeys(find, command),
  };
}

function parseBeginSearch(begin: Map<string, RedisReply>, command: string): KeySpecBeginSearch {
  const type = asText(begin.get('type'), `begin_search type of ${command}`);
  const spec = asMap(begin.get('spec'), `begin_search spec of ${command}`);
  switch (type) {
    case 'index':
      return { type, index: asNumber(spec.get('index'), `begin_search index of ${command}`) };
    case 'keyword':
      return {
        type,
        keyword: asText(spec.get('keyword'), `begin_search keyword of ${command}`),
        startFrom: asNumber(spec.get('startfrom'), `begin_search startfrom of ${command}`),
      };
    case 'unknown':
      return { type };
    default:
      throw new Error(`${command}: a begin_search of type '${type}' is new to the table format`);
  }
}

function parseFindKeys(find: Map<string, RedisReply>, command: string): KeySpecFindKeys {
  const type = asText(find.get('type'), `find_keys type of ${command}`);
  const spec = asMap(find.get('spec'), `find_keys spec of ${command}`);
  switch (type) {
    case 'range':
      return {
        type,
        lastKey: asNumber(spec.get('lastkey'), `find_keys lastkey of ${command}`),
        keyStep: asNumber(spec.get('keystep'), `find_keys keystep of ${command}`),
        limit: asNumber(spec.get('limit'), `find_keys limit of ${command}`),
      };
    case 'keynum':
      return {
        type,
        keyNumIndex: asNumber(spec.get('keynumidx'), `find_keys keynumidx of ${command}`),
        firstKey: asNumber(spec.get('firstkey'), `find_keys firstkey of ${command}`),
        keyStep: asNumber(spec.get('keystep'), `find_keys keystep of ${command}`),
      };
    case 'unknown':
      return { type };
    default:
      throw new Error(`${command}: a find_keys of type '${type}' is new to the table format`);
  }
}
