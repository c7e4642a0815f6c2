import { utf8Decode } from '../codec/utf8.js';
import { RedisValidationError } from '../errors/redis-error.js';
import { numericArgText } from '../port/arg-text.js';
import type { RedisArg, RedisCommand } from '../port/reply.js';

/**
 * A port command's arguments as a client sends them: strings as they are, numbers and bigints as
 * `numericArgText` spells them (the same from every adapter), and each `Uint8Array` as
 * `bytes(value)` gives it (a Node `Buffer` over the same memory, say, or a throw where the
 * transport cannot carry bytes). From index `from` on (`1` for clients that take the name apart).
 *
 * @throws RedisValidationError for an empty command or an argument of another type, before
 *   anything is sent
 */
export function commandArgs<B>(
  command: RedisCommand,
  bytes: (value: Uint8Array) => B,
  from = 0,
): (string | B)[] {
  if (command.length === 0) throw new RedisValidationError('a command needs a name');
  // A plain loop: this runs for every command, and map() would allocate a closure each time.
  const args = new Array<string | B>(Math.max(command.length - from, 0));
  for (let i = from; i < command.length; i++) args[i - from] = commandArg(command[i]!, bytes);
  return args;
}

/** One argument as `commandArgs` encodes it. */
export function commandArg<B>(arg: RedisArg, bytes: (value: Uint8Array) => B): string | B {
  switch (typeof arg) {
    case 'string':
      return arg;
    case 'number':
    case 'bigint':
      return numericArgText(arg);
    default:
      if (arg instanceof Uint8Array) return bytes(arg);
      throw new RedisValidationError(
        `unsupported command argument of type ${arg === null ? 'null' : typeof arg}`,
      );
  }
}

/**
 * The command's name in uppercase (`''` for an empty command), for reply shapes, error mapping
 * and messages.
 */
export function commandName(command: RedisCommand | readonly (string | Uint8Array)[]): string {
  const first = command[0];
  if (first === undefined) return '';
  return (first instanceof Uint8Array ? utf8Decode(first) : String(first)).toUpperCase();
}
