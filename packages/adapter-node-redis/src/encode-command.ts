import type { RedisArg, RedisCommand } from '@redis-service/core';
import { commandArg, commandArgs } from '@redis-service/core/adapter';

export { commandName } from '@redis-service/core/adapter';

/**
 * One argument as node-redis' `sendCommand` takes it: a string or a Buffer, encoded by the
 * toolkit's `commandArg` (a `Uint8Array` as a Buffer over the same memory, no copy).
 */
export function encodeArg(arg: RedisArg): string | Buffer {
  return commandArg(arg, asBuffer);
}

/** A whole command as node-redis sends it; an empty command is refused before anything is sent. */
export function encodeCommand(command: RedisCommand): (string | Buffer)[] {
  return commandArgs(command, asBuffer);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
