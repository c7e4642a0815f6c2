import type { RedisReply } from '@redis-service/core';
import { asArray, asMap, asNumber, asText, asTexts } from './reply-shapes.js';
import type { Send } from './send.js';

/** One argument of a command, as `COMMAND DOCS` describes it. */
export interface DocArgument {
  readonly name: string;
  /** `key`, `string`, `integer`, `double`, `pattern`, `unix-time`, `pure-token`, `oneof`, `block`. */
  readonly type: string;
  /** The keyword that introduces the argument (`COUNT`, `BLOCK`, ...). */
  readonly token: string | undefined;
  /** `optional`, `multiple`, `multiple_token`. */
  readonly flags: readonly string[];
  /** For a key argument: the index of its key spec. */
  readonly keySpecIndex: number | undefined;
  /** The arguments of a `oneof` or `block`. */
  readonly arguments: readonly DocArgument[];
}

/** What the table takes from `COMMAND DOCS` for one command or subcommand. */
export interface CommandDoc {
  /** `string`, `list`, `connection`, `server`, ... */
  readonly group: string;
  readonly arguments: readonly DocArgument[];
}

/** Reads `COMMAND DOCS` for every command, subcommands included (named `container|sub`). */
export async function readCommandDocs(send: Send): Promise<Map<string, CommandDoc>> {
  const docs = new Map<string, CommandDoc>();
  collect(asMap(await send(['COMMAND', 'DOCS']), 'COMMAND DOCS'), docs);
  return docs;
}

function collect(entries: Map<string, RedisReply>, into: Map<string, CommandDoc>): void {
  for (const [name, reply] of entries) {
    const doc = asMap(reply, `the docs of ${name}`);
    into.set(name.toLowerCase(), {
      group: asText(doc.get('group'), `the group of ${name}`),
      arguments: parseArguments(doc.get('arguments') ?? [], name),
    });
    const subcommands = doc.get('subcommands');
    if (subcommands !== undefined) collect(asMap(subcommands, `the subcommands of ${name}`), into);
  }
}

function parseArguments(reply: RedisReply, command: string): DocArgument[] {
  return asArray(reply, `the arguments of ${command}`).map((item) => {
    const argument = asMap(item, `an argument of ${command}`);
    const token = argument.get('token');
    const keySpecIndex = argument.get('key_spec_index');
    return {
      name: asText(argument.get('name'), `an argument name of ${command}`),
      type: asText(argument.get('type'), `an argument type of ${command}`),
      token: token === undefined ? undefined : asText(token, `an argument token of ${command}`),
      flags: asTexts(argument.get('flags') ?? [], `argument flags of ${command}`),
      keySpecIndex: keySpecIndex === undefined ? undefined : asNumber(keySpecIndex, 'key_spec_index'),
      arguments: parseArguments(argument.get('arguments') ?? [], command),
    };
  });
}
