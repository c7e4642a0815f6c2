/**
 * A Cloudflare-style worker that uses core and the Upstash adapter as published, run inside
 * workerd by the outside check without the Node compatibility flag (no `node:` module can load).
 * It answers one request with the outcome of each check as JSON.
 */
import { createUpstashService } from '@redis-service/adapter-upstash';
import { RedisReplyError, type Schema } from '@redis-service/core';

interface Env {
  readonly UPSTASH_REDIS_REST_URL: string;
  readonly UPSTASH_REDIS_REST_TOKEN: string;
  readonly KEY_PREFIX: string;
}

/** The outcome of one check, as the outside check reads it. */
export interface EdgeCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly got?: string;
  readonly expected?: string;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

// A hand-written Standard Schema: any vendor's schema works the same way.
const PointSchema: Schema<unknown, Point> = {
  '~standard': {
    version: 1,
    vendor: 'outside-check',
    validate: (value) => {
      const point = value as Partial<Point> | null;
      return typeof point?.x === 'number' && typeof point.y === 'number'
        ? { value: { x: point.x, y: point.y } }
        : { issues: [{ message: 'expected { x: number, y: number }' }] };
    },
  },
};

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const checks: EdgeCheck[] = [];
    const check = async (name: string, run: () => Promise<unknown>, expected: unknown): Promise<void> => {
      try {
        const got = JSON.stringify(await run());
        checks.push({ name, ok: got === JSON.stringify(expected), got, expected: JSON.stringify(expected) });
      } catch (error) {
        checks.push({ name, ok: false, got: `threw ${String(error)}` });
      }
    };
    const redis = createUpstashService({
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
      keyPrefix: env.KEY_PREFIX,
    });
    try {
      await check(
        'runs in workerd',
        async () => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent,
        'Cloudflare-Workers',
      );
      await check(
        'strings',
        async () => [await redis.set('s', 'v', { ttl: 60 }), await redis.get('s'), await redis.incr('n', 5)],
        [true, 'v', 5],
      );
      await check(
        'hashes',
        async () => [await redis.hset('h', { a: '1', b: '2' }), await redis.hgetall('h')],
        [2, { a: '1', b: '2' }],
      );
      await check('lists', async () => [await redis.rpush('l', 'a', 'b'), await redis.lrange('l', 0, -1)], [
        2,
        ['a', 'b'],
      ]);
      await check(
        'sets',
        async () => [await redis.sadd('set', 'x', 'y'), (await redis.smembers('set')).sort()],
        [2, ['x', 'y']],
      );
      await check(
        'sorted sets',
        async () => [
          await redis.zadd('z', { a: 1, b: 2 }),
          await redis.zrange('z', 0, -1, { withScores: true }),
        ],
        [
          2,
          [
            { member: 'a', score: 1 },
            { member: 'b', score: 2 },
          ],
        ],
      );
      await check('JSON', async () => [await redis.setJson('j', { n: [1, 2] }), await redis.getJson('j')], [
        true,
        { n: [1, 2] },
      ]);
      await check(
        'models',
        async () => [
          await redis.setModel('p', PointSchema, { x: 1, y: 2 }),
          await redis.getModel('p', PointSchema),
        ],
        [true, { x: 1, y: 2 }],
      );
      await check('pipeline', async () => redis.pipeline((p) => [p.incr('c'), p.get('s')]), [
        { ok: true, value: 1 },
        { ok: true, value: 'v' },
      ]);
      await check('transaction', async () => redis.transaction((tx) => [tx.incr('c'), tx.incr('c')]), [
        { ok: true, value: 2 },
        { ok: true, value: 3 },
      ]);
      await check(
        'server errors as RedisReplyError',
        async () => {
          try {
            await redis.command(['INCR', `${env.KEY_PREFIX}s`]);
            return 'no error';
          } catch (error) {
            return error instanceof RedisReplyError ? error.code : String(error);
          }
        },
        'ERR_REDIS_REPLY',
      );
      await check('rate limit (sliding window)', async () => {
        const options = { algorithm: 'sliding-window', limit: 2, windowMs: 60_000 } as const;
        const results = [];
        for (let i = 0; i < 3; i++) results.push((await redis.checkRateLimit('rl', options)).allowed);
        return results;
      }, [true, true, false]);
      await check('getOrCompute', async () => {
        let computes = 0;
        const compute = () => {
          computes += 1;
          return { report: 42 };
        };
        const first = await redis.getOrCompute('report', compute, { ttl: 60 });
        const second = await redis.getOrCompute('report', compute, { ttl: 60 });
        return [first, second, computes];
      }, [{ report: 42 }, { report: 42 }, 1]);
    } finally {
      await redis.close();
    }
    return new Response(JSON.stringify({ checks }), { headers: { 'content-type': 'application/json' } });
  },
};
