import { keyPositions, RedisReplyError } from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandDoc, readCommandDocs } from '../src/command-docs.js';
import { readCommandMetadata, type ServerMetadata } from '../src/read-command-metadata.js';
import { openPrivateServer, type PrivateServer } from '../src/server-metadata.js';
import { sampleCommands } from './support/sample-commands.js';

let server: PrivateServer;
let metadata: ServerMetadata;
let docs: Map<string, CommandDoc>;

beforeAll(async () => {
  server = await openPrivateServer();
  metadata = await readCommandMetadata(server.send);
  docs = await readCommandDocs(server.send);
});

afterAll(async () => {
  await server?.close();
});

/** The keys the server names for `argv` (COMMAND GETKEYS), `[]` when it finds none; `undefined` when it cannot judge. */
async function serverKeys(argv: readonly string[]): Promise<string[] | undefined> {
  try {
    const reply = await server.send(['COMMAND', 'GETKEYS', ...argv]);
    return reply as string[];
  } catch (error) {
    if (!(error instanceof RedisReplyError)) throw error;
    // No keys, or arguments the server cannot find keys in (it would refuse to run them too).
    if (/no key arguments|Invalid arguments specified/i.test(error.message)) return [];
    // The sample does not fit the command's arity (a rare grammar the sampler cannot build).
    if (/wrong number of arguments|Invalid command specified/i.test(error.message)) return undefined;
    throw error;
  }
}

function ourKeys(argv: readonly string[]): string[] | undefined {
  return keyPositions(argv)?.map((position) => argv[position]!);
}

/** Commands the sampler cannot build well enough and that the server's own getkeys code treats specially. */
const HAND_WRITTEN: readonly (readonly string[])[] = [
  ['EVAL', 'return 1', '0'],
  ['EVAL', 'return 1', '2', 'a', 'b', 'c'],
  ['EVAL', 'return 1', '3', 'a', 'b'],
  ['evalsha', 'abc', '1', 'a'],
  ['FCALL', 'f', '2', 'a', 'b', 'x'],
  ['ZUNION', '3', 'a', 'b', 'c', 'WEIGHTS', '1', '2', '3', 'WITHSCORES'],
  ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'AGGREGATE', 'MAX'],
  ['ZINTER', '0', 'a'],
  ['zdiffstore', 'd', '1', 'a'],
  ['LMPOP', '2', 'a', 'b', 'LEFT', 'COUNT', '3'],
  ['BLMPOP', '0', '2', 'a', 'b', 'RIGHT'],
  ['BZMPOP', '1.5', '1', 'a', 'MIN'],
  ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '3'],
  ['XREAD', 'COUNT', '2', 'BLOCK', '0', 'STREAMS', 'a', 'b', '0', '0'],
  ['XREAD', 'STREAMS', 'a', 'b', 'c', '0', '0'],
  ['xread', 'streams', 'STREAMS', 'streams', '0', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'a', '>'],
  ['BLPOP', 'a', 'b', 'c', '0'],
  ['BRPOP', 'a', '1.5'],
  ['BZPOPMIN', 'a', 'b', '0'],
  ['MSET', 'a', '1', 'b', '2', 'c', '3'],
  ['MSETNX', 'a', '1'],
  ['DEL', 'a', 'b', 'c'],
  ['SORT', 'k', 'BY', 'w_*', 'LIMIT', '0', '1', 'GET', '#', 'GET', 'o_*', 'STORE', 'd'],
  ['SORT', 'k', 'STORE', 'd', 'STORE', 'e'],
  ['SORT', 'k', 'LIMIT', 'STORE', '1', 'STORE', 'x'],
  ['SORT', 'k', 'ALPHA', 'DESC'],
  ['SORT_RO', 'k', 'BY', 'w_*', 'GET', 'o_*'],
  ['MIGRATE', 'h', '1', '', '0', '5', 'COPY', 'REPLACE', 'AUTH', 'pw', 'KEYS', 'a', 'b'],
  ['MIGRATE', 'h', '1', '', '0', '5', 'AUTH2', 'user', 'keys', 'KEYS', 'a'],
  ['MIGRATE', 'h', '1', 'k', '0', '5'],
  ['MIGRATE', 'h', '1', 'k', '0', '5', 'KEYS', 'a'],
  ['GEORADIUS', 'k', '1', '2', '3', 'm', 'STORE', 'd', 'STOREDIST', 'e'],
  ['GEORADIUSBYMEMBER', 'k', 'm', '3', 'km', 'STOREDIST', 'e'],
  ['SET', 'k', 'v', 'GET'],
  ['BITFIELD', 'k', 'GET', 'u8', '0'],
  ['OBJECT', 'ENCODING', 'k'],
  ['object', 'freq', 'k'],
  ['XINFO', 'STREAM', 's', 'FULL'],
  ['MEMORY', 'USAGE', 'k', 'SAMPLES', '5'],
  ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
  ['RENAME', 'a', 'b'],
  ['COPY', 'a', 'b', 'REPLACE'],
  ['SPUBLISH', 'channel', 'message'],
  ['PING', 'x'],
  ['RESTORE-ASKING', 'k', '0', 'x'],
];

describe('keyPositions agrees with COMMAND GETKEYS', () => {
  it('on hand-written commands the server treats specially', async () => {
    for (const argv of HAND_WRITTEN) {
      const expected = await serverKeys(argv);
      expect(expected, `the server could not judge ${argv.join(' ')}`).toBeDefined();
      expect(ourKeys(argv), argv.join(' ')).toEqual(expected);
    }
  });

  it('on samples of every command and subcommand built from its own COMMAND DOCS grammar', async () => {
    let compared = 0;
    let withKeys = 0;
    const keyedCommands = new Set<string>();
    const unjudged: string[] = [];
    for (const command of metadata.commands) {
      const doc = docs.get(command.name);
      if (!doc) throw new Error(`no docs for ${command.name}`);
      let judged = false;
      for (const argv of sampleCommands(command.name, doc)) {
        const expected = await serverKeys(argv);
        if (expected === undefined) continue;
        judged = true;
        compared += 1;
        if (expected.length > 0) {
          withKeys += 1;
          keyedCommands.add(command.name);
        }
        expect(ourKeys(argv), argv.join(' ')).toEqual(expected);
      }
      // COMMAND GETKEYS needs at least one argument (commands without any have no keys either),
      // and a container (CLIENT, XINFO, ...) means nothing without its subcommand.
      const container = metadata.commands.some((other) => other.name.startsWith(`${command.name}|`));
      const argumentless = sampleCommands(command.name, doc).every((argv) => argv.length === 1);
      if (!judged && !container && !argumentless) unjudged.push(command.name);
    }
    console.log(`compared ${compared} samples with COMMAND GETKEYS, ${withKeys} of them with keys`);
    // Not vacuous: every command with arguments is judged, and every command with keys shows some.
    expect(unjudged, 'commands none of whose samples the server could judge').toEqual([]);
    expect(compared).toBeGreaterThan(650);
    expect(withKeys).toBeGreaterThan(400);
    const withSpecs = metadata.commands.filter((command) =>
      command.keySpecs.some((spec) => !spec.flags.includes('not_key')),
    );
    const missed = withSpecs.map((command) => command.name).filter((name) => !keyedCommands.has(name));
    expect(missed, 'commands with key specs whose samples never named a key').toEqual([]);
  });
});
