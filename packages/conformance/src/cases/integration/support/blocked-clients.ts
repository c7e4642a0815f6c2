import type { RedisService } from '@redis-service/core';

/** How many clients the server counts as blocked right now (`INFO clients`: `blocked_clients`). */
export async function blockedClients(redis: RedisService): Promise<number> {
  const info = await redis.command(['INFO', 'clients']);
  const match = typeof info === 'string' ? /blocked_clients:(\d+)/.exec(info) : null;
  if (!match) throw new Error('INFO clients did not report blocked_clients');
  return Number(match[1]);
}
