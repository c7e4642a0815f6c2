/**
 * The rate-limit contenders: our `checkRateLimit` per algorithm, the same script sent raw through
 * the driver (what the service adds on top of one EVALSHA), and the peer libraries as their docs
 * configure them. Every contender checks the same spread of keys with a limit so high that every
 * check is allowed and counted, so each measures its full "count this call" path.
 */
import { createHash } from 'node:crypto';
import {
  FIXED_WINDOW_SCRIPT,
  GCRA_SCRIPT,
  type LuaScript,
  type RateLimitOptions,
  type RedisService,
  SLIDING_WINDOW_COUNTER_SCRIPT,
  SLIDING_WINDOW_SCRIPT,
} from '@redis-service/core';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import type { BenchContext, ContenderSpec } from '../framework/scenario.js';

const KEYS = 1000;
const LIMIT = 1_000_000_000;
const WINDOW_MS = 60_000;

/** Our algorithms, by the short name the rows use. */
export const ALGORITHMS = {
  fixed: { algorithm: 'fixed-window', limit: LIMIT, windowMs: WINDOW_MS },
  gcra: { algorithm: 'gcra', rate: 1_000_000, periodMs: WINDOW_MS, burst: LIMIT },
  counter: { algorithm: 'sliding-window-counter', limit: LIMIT, windowMs: WINDOW_MS },
  log: { algorithm: 'sliding-window', limit: LIMIT, windowMs: WINDOW_MS },
} as const satisfies Record<string, RateLimitOptions>;

/** A short name of one of our algorithms. */
export type Algorithm = keyof typeof ALGORITHMS;

/** What the rows call each algorithm. */
export const ALGORITHM_LABELS: Readonly<Record<Algorithm, string>> = {
  fixed: 'fixed window',
  gcra: 'GCRA',
  counter: 'sliding-window counter',
  log: 'sliding log (exact)',
};

/** The script and ARGV `checkRateLimit` sends for an algorithm (as `prepareRateLimit` builds them). */
function scriptCall(algorithm: Algorithm): { script: LuaScript; args: string[]; suffix: string } {
  switch (algorithm) {
    case 'fixed':
      return { script: FIXED_WINDOW_SCRIPT, args: [String(LIMIT), String(WINDOW_MS), '1'], suffix: 'fw' };
    case 'counter':
      return {
        script: SLIDING_WINDOW_COUNTER_SCRIPT,
        args: [String(LIMIT), String(WINDOW_MS), '1'],
        suffix: 'swc',
      };
    case 'log':
      return { script: SLIDING_WINDOW_SCRIPT, args: [String(LIMIT), String(WINDOW_MS), '1'], suffix: 'sw' };
    case 'gcra':
      return {
        script: GCRA_SCRIPT,
        args: [String(LIMIT), String(ALGORITHMS.gcra.rate), String(WINDOW_MS), '1'],
        suffix: 'gcra',
      };
  }
}

/** Throws when a contender denies: a denied check measures a different (cheaper) path. */
function allowedOrThrow(allowed: boolean, who: string): void {
  if (!allowed) throw new Error(`${who} denied a check; the bench expects every check to be allowed`);
}

/** Our limiter over a service the opener builds. */
export function ours(
  name: string,
  algorithm: Algorithm,
  open: (ctx: BenchContext) => Promise<RedisService> | RedisService,
): ContenderSpec {
  const options = ALGORITHMS[algorithm];
  return {
    name,
    role: 'ours',
    async open(ctx) {
      const service = await open(ctx);
      return {
        operation: async (i) => {
          const result = await service.checkRateLimit(`bench:${i % KEYS}`, options);
          allowedOrThrow(result.allowed, name);
        },
        close: () => service.close(),
      };
    },
  };
}

/** A driver used directly: EVALSHA of a script with one key and string args. */
export interface RawScriptClient {
  load(source: string): Promise<unknown>;
  evalsha(sha: string, key: string, args: readonly string[]): Promise<unknown>;
  close(): Promise<unknown> | unknown;
}

/** The same script and arguments as `checkRateLimit`, through the driver with nothing on top. */
export function raw(
  name: string,
  algorithm: Algorithm,
  open: (ctx: BenchContext) => Promise<RawScriptClient> | RawScriptClient,
): ContenderSpec {
  const { script, args, suffix } = scriptCall(algorithm);
  return {
    name,
    role: 'raw',
    async open(ctx) {
      const client = await open(ctx);
      await client.load(script.source);
      return {
        operation: async (i) => {
          const reply = await client.evalsha(script.sha1, `bench-raw:rl:{bench:${i % KEYS}}:${suffix}`, args);
          allowedOrThrow(Array.isArray(reply) && Number(reply[0]) === 1, name);
        },
        close: () => client.close(),
      };
    },
  };
}

/** ioredis as a `RawScriptClient`. */
export function rawIoredis(url: string): RawScriptClient {
  const client = new Redis(url);
  return {
    load: (source) => client.script('LOAD', source),
    evalsha: (sha, key, args) => client.evalsha(sha, 1, key, ...args),
    close: () => client.disconnect(),
  };
}

/** node-redis as a `RawScriptClient`. */
export async function rawNodeRedis(url: string): Promise<RawScriptClient> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return {
    load: (source) => client.scriptLoad(source),
    evalsha: (sha, key, args) => client.evalSha(sha, { keys: [key], arguments: [...args] }),
    close: () => client.destroy(),
  };
}

/** @upstash/redis (autopipelining, its default) as a `RawScriptClient`. */
export function rawUpstash(url: string, token: string): RawScriptClient {
  const client = new UpstashRedis({ url, token, enableTelemetry: false, enableAutoPipelining: true });
  return {
    load: (source) => client.scriptLoad(source),
    evalsha: (sha, key, args) => client.evalsha(sha, [key], [...args]),
    close: () => {},
  };
}

/** rate-limiter-flexible's `RateLimiterRedis` (a fixed window) over ioredis. */
export function rlfIoredis(name: string, autopipelining: boolean): ContenderSpec {
  return {
    name,
    role: 'peer',
    open(ctx) {
      const client = new Redis(ctx.redisUrl, { enableAutoPipelining: autopipelining });
      const limiter = new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `bench-rlf-${autopipelining ? 'ap' : 'io'}`,
        points: LIMIT,
        duration: WINDOW_MS / 1000,
      });
      return Promise.resolve({
        // consume() rejects (with a RateLimiterRes) when over the limit, which LIMIT rules out.
        operation: (i) => limiter.consume(`bench:${i % KEYS}`, 1),
        close: () => client.disconnect(),
      });
    },
  };
}

/** rate-limiter-flexible's `RateLimiterRedis` over node-redis (which sends the script with EVAL every call). */
export function rlfNodeRedis(name: string): ContenderSpec {
  return {
    name,
    role: 'peer',
    async open(ctx) {
      const client = createClient({ url: ctx.redisUrl });
      client.on('error', () => {});
      await client.connect();
      const limiter = new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        keyPrefix: 'bench-rlf-nr',
        points: LIMIT,
        duration: WINDOW_MS / 1000,
      });
      return { operation: (i) => limiter.consume(`bench:${i % KEYS}`, 1), close: () => client.destroy() };
    },
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

/** The @upstash/ratelimit algorithms the bench compares with. */
export const UPSTASH_LIMITERS = {
  fixed: () => Ratelimit.fixedWindow(LIMIT, `${WINDOW_MS / 1000} s`),
  counter: () => Ratelimit.slidingWindow(LIMIT, `${WINDOW_MS / 1000} s`),
  gcra: () => Ratelimit.tokenBucket(1_000_000, `${WINDOW_MS / 1000} s`, LIMIT),
} as const;

/**
 * @upstash/ratelimit through the bridge, as its docs set it up: @upstash/redis with its default
 * autopipelining, the default ephemeral cache (it only short-cuts identifiers already blocked,
 * which the bench never has), no analytics.
 */
export function upstashRatelimit(name: string, limiter: keyof typeof UPSTASH_LIMITERS): ContenderSpec {
  return {
    name,
    role: 'peer',
    async open(ctx) {
      const { url, token } = await ctx.bridge();
      const ratelimit = new Ratelimit({
        redis: withoutUpstashScriptFlags(new UpstashRedis({ url, token, enableTelemetry: false })),
        limiter: UPSTASH_LIMITERS[limiter](),
        prefix: `bench-upstash-${limiter}`,
        analytics: false,
      });
      return {
        operation: async (i) => {
          const result = await ratelimit.limit(`bench:${i % KEYS}`);
          allowedOrThrow(result.success, name);
        },
        close: () => {},
      };
    },
  };
}
