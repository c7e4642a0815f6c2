import { numericArgText, type RedisArg, type RedisCommand, RedisValidationError } from '@redis-service/core';

/**
 * One argument as node-redis' `sendCommand` takes it: a string or a Buffer. Numbers go as their
 * shortest exact decimal text (`String()`, which also turns `-0` into `0`), infinities as
 * `+inf`/`-inf` (the spelling Redis parses), bigints as their digits, and a `Uint8Array` as a
 * Buffer over the same memory (no copy).
 */
export function encodeArg(arg: RedisArg): string | Buffer {
  switch (typeof arg) {
    case 'string':
      return arg;
    case 'number':
    case 'bigint':
      return numericArgText(arg);
    default:
      if (arg instanceof Uint8Array) return asBuffer(arg);
      throw new RedisValidationError(`unsupported command argument of type ${describeType(arg)}`);
  }
}

/** A whole command as node-redis sends it; an empty command is refused before anything is sent. */
export function encodeCommand(command: RedisCommand): (string | Buffer)[] {
  if (command.length === 0) throw new RedisValidationError('a command needs a name');
  const args = new Array<string | Buffer>(command.length);
  for (let i = 0; i < command.length; i++) args[i] = encodeArg(command[i]!);
  return args;
}

/** The command's name in uppercase, for messages and reply shapes. */
export function commandName(args: readonly (string | Buffer)[]): string {
  const first = args[0];
  return first === undefined ? '' : first.toString().toUpperCase();
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function describeType(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
