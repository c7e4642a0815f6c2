import type { RedisCommand } from '@redis-service/core';
import { commandArgs, commandName } from '@redis-service/core/adapter';

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
 * Arguments as the toolkit's `commandArgs` encodes them; a `Uint8Array` goes as a Buffer over the
 * same memory.
 */
export function encodeCommand(command: RedisCommand): EncodedCommand {
  const args = commandArgs(command, asBuffer, 1);
  const upper = commandName(command);
  return { name: upper === 'SELECT' ? 'select' : upper, args };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
