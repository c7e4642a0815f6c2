import { RedisSerializationError } from '../errors/redis-error.js';
import type { RedisCommand, RedisReply } from '../port/reply.js';

/** The part of a freshly opened connection `readClientId` uses. */
export interface ClientIdSource {
  send(command: RedisCommand): Promise<RedisReply>;
  close(): Promise<void>;
}

/**
 * Reads a new dedicated connection's `CLIENT ID` (which `DedicatedConnection.clientId` must
 * hold: core's `CLIENT UNBLOCK` names it). When that fails, the connection is closed before the
 * error is rethrown, so a failed open leaves nothing behind.
 *
 * @throws whatever the connection rejected with, or `RedisSerializationError` for a reply that is
 *   not an integer
 */
export async function readClientId(connection: ClientIdSource): Promise<number> {
  try {
    const id = await connection.send(['CLIENT', 'ID']);
    if (typeof id !== 'number') throw new RedisSerializationError('CLIENT ID did not answer an integer');
    return id;
  } catch (error) {
    await connection.close();
    throw error;
  }
}
