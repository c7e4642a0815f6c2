import type { RedisService } from '@redis-service/core';

/** Which master (`host:port`) serves each slot, as the cluster answers `CLUSTER SLOTS`. */
export async function slotOwners(redis: RedisService): Promise<(slot: number) => string> {
  const reply = await redis.command(['CLUSTER', 'SLOTS']);
  const ranges: { first: number; last: number; address: string }[] = [];
  for (const range of Array.isArray(reply) ? reply : []) {
    if (!Array.isArray(range)) continue;
    const [first, last, master] = range;
    if (typeof first !== 'number' || typeof last !== 'number' || !Array.isArray(master)) continue;
    ranges.push({ first, last, address: `${String(master[0])}:${String(master[1])}` });
  }
  return (slot) => {
    const found = ranges.find((range) => slot >= range.first && slot <= range.last);
    if (!found) throw new Error(`CLUSTER SLOTS names no master for slot ${slot}`);
    return found.address;
  };
}
