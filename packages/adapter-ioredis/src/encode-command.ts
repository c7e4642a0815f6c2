import { numericArgText, type RedisArg, type RedisCommand, RedisValidationError } from '@redis-service/core';

/** A command as ioredis' `callBuffer` takes it: the name, then string or Buffer arguments. */
export interface EncodedCommand {
  /** The name as sent: uppercase, so that none of ioredis' lowercase-keyed transformers applies. */
  readonly name: string;
  readonly args: (string | Buffer)[];
}

/**
 * Encodes a port command for ioredis. Names go uppercase: ioredis reshapes replies (e.g. `hgetall`
 * into an object) and arguments (e.g. `hset` with an object) only for lowercase names, and the
 * port wants raw replies. `SELECT` is the exception: ioredis tracks the database only for a
 * lowercase `select`, and restores it after a reconnect only if it tracked it.
 * Numbers and bigints go as decimal text; a `Uint8Array` goes as a Buffer over the same memory.
 */
export function encodeCommand(command: RedisCommand): EncodedCommand {
  const first = command[0];
  if (first === undefined) throw new RedisValidationError('a command needs a name');
  const upper = (first instanceof Uint8Array ? asBuffer(first).toString() : String(first)).toUpperCase();
  // A plain loop: this runs for every command, and spread + map would allocate twice.
  const args: (string | Buffer)[] = new Array(command.length - 1);
  for (let i = 1; i < command.length; i++) args[i - 1] = encodeArg(command[i]!);
  return { name: upper === 'SELECT' ? 'select' : upper, args };
}

/** One argument as ioredis sends it. */
export function encodeArg(arg: RedisArg): string | Buffer {
  switch (typeof arg) {
    case 'string':
      return arg;
    case 'number':
    case 'bigint':
      return numericArgText(arg);
    default:
      if (arg instanceof Uint8Array) return asBuffer(arg);
      throw new RedisValidationError(`unsupported command argument of type ${typeof arg}`);
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
