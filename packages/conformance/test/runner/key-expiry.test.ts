import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRespDriver } from '../../src/cleanup/resp-driver.js';
import { type RedisServerHandle, startRedisServer } from '../../src/harness/index.js';
import { ConformanceRun, type IntegrationCase, KIT_KEY_TTL_MS } from '../../src/index.js';
import { kitRespAdapter } from '../self-check/kit-resp-adapter.js';

let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.stop());

describe("the kit's keys", () => {
  it('get an expiry of at most KIT_KEY_TTL_MS after each case, and are deleted when the run closes', async () => {
    const writes: IntegrationCase = {
      id: 'probe/writes-keys',
      group: 'probe',
      name: 'writes keys with no expiry, a long one and a short one',
      tier: 'integration',
      async run({ redis }) {
        await redis.set('plain', 'v');
        await redis.set('long', 'v', { ttl: 3_600 });
        await redis.set('short', 'v', { ttlMs: 5_000 });
        await redis.rpush('list', 'a');
      },
    };
    const observer = createRespDriver(server.url);
    const run = await ConformanceRun.start(kitRespAdapter, { tiers: ['integration'], redisUrl: server.url });
    try {
      expect(run.runPrefix).toMatch(/^rsk:[0-9a-z]+-[0-9a-f]{12}:$/);
      expect((await run.runCase(writes)).status).toBe('passed');
      const prefix = `${run.runPrefix}probe/writes-keys:`;
      const ttls = await observer.batch(
        ['plain', 'long', 'short', 'list'].map((key) => ['PTTL', `${prefix}${key}`]),
        { transaction: false },
      );
      const [plain, long, short, list] = ttls.map((result) =>
        result.ok ? Number(result.value) : Number.NaN,
      );
      for (const ttl of [plain, long, list]) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(KIT_KEY_TTL_MS);
      }
      expect(short).toBeGreaterThan(0);
      expect(short).toBeLessThanOrEqual(5_000);
      await observer.send(['SET', 'app:not-the-kits', 'v']);
    } finally {
      await run.close();
    }
    expect(await observer.send(['SCAN', '0', 'MATCH', `${run.runPrefix}*`, 'COUNT', '1000'])).toEqual([
      '0',
      [],
    ]);
    expect(await observer.send(['GET', 'app:not-the-kits'])).toBe('v');
    await observer.close();
  });
});
