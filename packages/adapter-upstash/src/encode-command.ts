import { RedisCapabilityError, type RedisCommand } from '@redis-service/core';
import { commandArgs } from '@redis-service/core/adapter';

/**
 * Encodes a port command as the JSON argv the REST API takes: every argument a JSON string, as
 * the toolkit's `commandArgs` spells it. Bytes cannot travel: the REST API reads JSON strings as
 * UTF-8 text, so a `Uint8Array` is refused with `RedisCapabilityError` before anything is sent.
 */
export function encodeCommand(command: RedisCommand, driver: string): string[] {
  return commandArgs(command, (): never => {
    throw new RedisCapabilityError('binary', driver, 'writing a Uint8Array value');
  });
}
