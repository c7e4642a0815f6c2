import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisCommand } from '../port/reply.js';
import { argText, commandName } from './command-name.js';

/**
 * Where each blocking command carries its server-side timeout, and in which unit. The command
 * table says which commands block, not where their timeout is: that is each command's grammar.
 */
const TIMEOUT_POSITION: Readonly<
  Record<string, { readonly at: 'last' | number; readonly unit: 's' | 'ms' }>
> = {
  blpop: { at: 'last', unit: 's' },
  brpop: { at: 'last', unit: 's' },
  brpoplpush: { at: 'last', unit: 's' },
  blmove: { at: 'last', unit: 's' },
  bzpopmin: { at: 'last', unit: 's' },
  bzpopmax: { at: 'last', unit: 's' },
  blmpop: { at: 1, unit: 's' },
  bzmpop: { at: 1, unit: 's' },
  wait: { at: 2, unit: 'ms' },
  waitaof: { at: 3, unit: 'ms' },
};

/**
 * The server-side timeout of a raw blocking command, in milliseconds (`0`: it waits until
 * something happens), read from its arguments so that the dedicated connection's deadline can be
 * that plus a margin. XREAD and XREADGROUP carry it after `BLOCK`.
 *
 * @throws RedisValidationError when the timeout is missing or not a number >= 0 (nothing is sent)
 */
export function blockingTimeoutMs(command: RedisCommand): number {
  const name = commandName(command) ?? '';
  if (name === 'xread' || name === 'xreadgroup') {
    for (let i = 1; i < command.length - 1; i++) {
      if (argText(command[i]!).toLowerCase() === 'block') return parseTimeout(command[i + 1], 'ms', name);
    }
    return invalid(name);
  }
  const position = TIMEOUT_POSITION[name];
  if (!position) return invalid(name);
  const index = position.at === 'last' ? command.length - 1 : position.at;
  if (index < 1) return invalid(name);
  return parseTimeout(command[index], position.unit, name);
}

function parseTimeout(arg: RedisCommand[number] | undefined, unit: 's' | 'ms', name: string): number {
  if (arg === undefined) return invalid(name);
  const text = argText(arg);
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) return invalid(name);
  return unit === 's' ? value * 1000 : value;
}

function invalid(name: string): never {
  throw new RedisValidationError(
    `${name.toUpperCase()}: the blocking command's timeout argument is missing or not a number >= 0`,
  );
}
