import { utf8Decode } from '../codec/utf8.js';
import { numericArgText } from '../port/arg-text.js';
import type { RedisArg, RedisCommand } from '../port/reply.js';

/** An argument as the text the server reads (bytes as UTF-8, numbers as they are sent). */
export function argText(arg: RedisArg): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Uint8Array) return utf8Decode(arg);
  return numericArgText(arg);
}

/** The command's name, lowercase as the table spells it; `undefined` for an empty vector. */
export function commandName(command: RedisCommand): string | undefined {
  const name = command[0];
  return name === undefined ? undefined : argText(name).toLowerCase();
}

/** `container|sub` for the first two arguments (`client|reply`), or `undefined` without a second. */
export function subcommandName(command: RedisCommand): string | undefined {
  const name = commandName(command);
  const sub = command[1];
  return name === undefined || sub === undefined ? undefined : `${name}|${argText(sub).toLowerCase()}`;
}
