/**
 * Rate-limit checks per second at 64 concurrency, one run, one redis-server: our limiter (the
 * service over ioredis, each algorithm) against rate-limiter-flexible (fixed window, RateLimiterRedis
 * over ioredis) and @upstash/ratelimit (sliding window, @upstash/redis through the local REST bridge).
 * Every contender checks the same spread of keys with a limit high enough that checks are allowed,
 * so each measures its full "count this call" path; the target is >= 1.5x the better peer.
 */
import { createHash } from 'node:crypto';
import { createIoredisDriver, createIoredisService } from '@redis-service/adapter-ioredis';
import { createUpstashService } from '@redis-service/adapter-upstash';
import { startUpstashBridge } from '@redis-service/conformance/bridge';
import { type RateLimitOptions, RedisService } from '@redis-service/core';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { compare, type Operation } from './measure.js';
import { report } from './report.js';

const CONCURRENCY = 64;
const TOTAL = Math.min(Number(process.env.BENCH_OPS ?? 10_000), 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const KEYS = 1000;
const LIMIT = 1_000_000_000;
const WINDOW_MS = 60_000;

// Names fit report()'s 26-character column.
const RLF = 'rlf fixed (ioredis)';
const RLF_NODE_REDIS = 'rlf fixed (node-redis)';
const UPSTASH = 'upstash sliding (bridge)';
const PEERS = [RLF, RLF_NODE_REDIS, UPSTASH] as const;

/** Throws when a contender denies: a denied check would measure a different path. */
function allowedOrThrow(allowed: boolean, who: string): void {
  if (!allowed) throw new Error(`${who} denied a check; the bench expects every check to be allowed`);
}

function ours(service: RedisService, options: RateLimitOptions, who: string): Operation {
  return async (i) => {
    const result = await service.checkRateLimit(`bench:${i % KEYS}`, options);
    allowedOrThrow(result.allowed, who);
  };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * @upstash/ratelimit's scripts start with `#!lua flags=allow-key-locking`, a flag of Upstash's
 * servers that redis-server 7.0 refuses. This view of the client drops that line from EVAL and maps
 * the library's EVALSHA to the SHA of the script without it, so after the first call each check is
 * still one EVALSHA, as on Upstash.
 */
function withoutUpstashScriptFlags(client: UpstashRedis): UpstashRedis {
  const strippedSha = new Map<string, string>();
  type Eval = (script: string, keys: string[], args: unknown[]) => Promise<unknown>;
  return new Proxy(client, {
    get(target, property) {
      if (property === 'eval') {
        const run: Eval = (script, keys, args) => {
          const stripped = script.replace(/^#!lua[^\n]*\n/, '');
          strippedSha.set(sha1(script), sha1(stripped));
          return target.eval(stripped, keys, args);
        };
        return run;
      }
      if (property === 'evalsha') {
        const run: Eval = (sha, keys, args) => target.evalsha(strippedSha.get(sha) ?? sha, keys, args);
        return run;
      }
      return Reflect.get(target, property);
    },
  });
}

/**
 * Our limiter vs rate-limiter-flexible and @upstash/ratelimit, interleaved rounds. Ours runs over
 * ioredis twice: as `createIoredisService` builds it (the driver corks each tick's commands into
 * writes of at most 8, each command resolving on its own reply) and with coalescing off (one write
 * per command, like the peers' clients), so the effect of coalescing on scripts stays visible.
 */
export async function benchRateLimit(redisUrl: string): Promise<void> {
  const bridge = await startUpstashBridge({ redisUrl });
  const coalesced = createIoredisService({ url: redisUrl, maxInflight: 256, keyPrefix: 'bench-ours:' });
  const uncoalesced = new RedisService(createIoredisDriver(new Redis(redisUrl), { coalesce: false }), {
    maxInflight: 256,
    keyPrefix: 'bench-ours-nc:',
  });
  const overBridge = createUpstashService({
    url: bridge.url,
    token: bridge.token,
    maxInflight: 256,
    keyPrefix: 'bench-ours-rest:',
  });
  const rlfClient = new Redis(redisUrl);
  const rlf = new RateLimiterRedis({
    storeClient: rlfClient,
    keyPrefix: 'bench-rlf',
    points: LIMIT,
    duration: WINDOW_MS / 1000,
  });
  // Over node-redis, rate-limiter-flexible sends the whole script (EVAL) on every call.
  const rlfNodeRedisClient = createClient({ url: redisUrl });
  rlfNodeRedisClient.on('error', () => {});
  await rlfNodeRedisClient.connect();
  const rlfNodeRedis = new RateLimiterRedis({
    storeClient: rlfNodeRedisClient,
    useRedisPackage: true,
    keyPrefix: 'bench-rlf-nr',
    points: LIMIT,
    duration: WINDOW_MS / 1000,
  });
  const upstash = new Ratelimit({
    redis: withoutUpstashScriptFlags(
      new UpstashRedis({ url: bridge.url, token: bridge.token, enableTelemetry: false }),
    ),
    limiter: Ratelimit.slidingWindow(LIMIT, `${WINDOW_MS / 1000} s`),
    prefix: 'bench-upstash',
    analytics: false,
    ephemeralCache: false,
  });
  const fixed: RateLimitOptions = { algorithm: 'fixed-window', limit: LIMIT, windowMs: WINDOW_MS };
  const sliding: RateLimitOptions = { algorithm: 'sliding-window', limit: LIMIT, windowMs: WINDOW_MS };
  const gcra: RateLimitOptions = { algorithm: 'gcra', rate: 1_000_000, periodMs: WINDOW_MS, burst: LIMIT };
  try {
    const results = await compare(
      {
        'ours fixed (no coalesce)': ours(uncoalesced, fixed, 'ours fixed'),
        'ours sliding (no coalesce)': ours(uncoalesced, sliding, 'ours sliding'),
        'ours gcra (no coalesce)': ours(uncoalesced, gcra, 'ours gcra'),
        'ours fixed (coalesced)': ours(coalesced, fixed, 'ours fixed, coalesced'),
        'ours sliding (coalesced)': ours(coalesced, sliding, 'ours sliding, coalesced'),
        [RLF]: async (i) => {
          // consume() rejects (with a RateLimiterRes) when over the limit, which LIMIT rules out.
          await rlf.consume(`bench:${i % KEYS}`, 1);
        },
        [RLF_NODE_REDIS]: async (i) => {
          await rlfNodeRedis.consume(`bench:${i % KEYS}`, 1);
        },
        [UPSTASH]: async (i) => {
          const result = await upstash.limit(`bench:${i % KEYS}`);
          allowedOrThrow(result.success, UPSTASH);
        },
        'ours sliding (bridge)': ours(overBridge, sliding, 'ours sliding over the bridge'),
      },
      { total: TOTAL, concurrency: CONCURRENCY, rounds: ROUNDS, warmup: Math.min(2_000, TOTAL) },
    );
    const better = PEERS.reduce<string>(
      (best, name) => ((results[name] ?? 0) > (results[best] ?? 0) ? name : best),
      PEERS[0],
    );
    report(
      `rate limit: checks/s, ${CONCURRENCY} concurrent, ${KEYS} keys (better peer: ${better})`,
      results,
      [
        ['ours fixed (no coalesce)', better, 1.5],
        ['ours sliding (no coalesce)', better, 1.5],
        ['ours gcra (no coalesce)', better, 1.5],
        ['ours fixed (coalesced)', better, 1.5],
        ['ours sliding (coalesced)', better, 1.5],
        ['ours sliding (bridge)', UPSTASH, 1],
      ],
    );
  } finally {
    await coalesced.close();
    await uncoalesced.close();
    await overBridge.close();
    rlfClient.disconnect();
    rlfNodeRedisClient.destroy();
    await bridge.close();
  }
}
