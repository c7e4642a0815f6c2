import {
  numericArgText,
  type RedisArg,
  RedisCapabilityError,
  type RedisCommand,
  RedisValidationError,
} from '@redis-service/core';

/**
 * Encodes a port command as the JSON argv the REST API takes: every argument a JSON string.
 * Numbers go in JavaScript's shortest exact decimal form (infinities as Redis spells them),
 * bigints as their digits. Bytes cannot travel: the REST API reads JSON strings as UTF-8 text, so
 * a `Uint8Array` is refused with `RedisCapabilityError` before anything is sent.
 */
export function encodeCommand(command: RedisCommand, driver: string): string[] {
  if (command.length === 0) throw new RedisValidationError('a command needs a name');
  return command.map((arg) => encodeArg(arg, driver));
}

function encodeArg(arg: RedisArg, driver: string): string {
  switch (typeof arg) {
    case 'string':
      return arg;
    case 'number':
    case 'bigint':
      return numericArgText(arg);
    default:
      if (arg instanceof Uint8Array)
        throw new RedisCapabilityError('binary', driver, 'writing a Uint8Array value');
      throw new RedisValidationError(`unsupported command argument of type ${typeof arg}`);
  }
}
