/** The rows and targets every rate-limit scenario shares: one per algorithm, ours against raw and peers. */
import type { RedisService } from '@redis-service/core';
import type { BenchContext, ContenderSpec, RatioTarget } from '../framework/scenario.js';
import {
  ALGORITHM_LABELS,
  type Algorithm,
  ours,
  type RawScriptClient,
  raw,
  rlfIoredis,
  rlfNodeRedis,
} from './rate-limit.js';

/** Our row and the raw row of each algorithm over one adapter. */
export function limiterRows(
  adapter: string,
  openService: (ctx: BenchContext) => Promise<RedisService> | RedisService,
  openRaw: (ctx: BenchContext) => Promise<RawScriptClient> | RawScriptClient,
): { contenders: ContenderSpec[]; names: Record<Algorithm, { ours: string; raw: string }> } {
  const algorithms = Object.keys(ALGORITHM_LABELS) as Algorithm[];
  const names = Object.fromEntries(
    algorithms.map((algorithm) => [
      algorithm,
      {
        ours: `ours ${ALGORITHM_LABELS[algorithm]} (${adapter})`,
        raw: `raw ${adapter} EVALSHA, ${ALGORITHM_LABELS[algorithm]}`,
      },
    ]),
  ) as Record<Algorithm, { ours: string; raw: string }>;
  return {
    names,
    contenders: algorithms.flatMap((algorithm) => [
      ours(names[algorithm].ours, algorithm, openService),
      raw(names[algorithm].raw, algorithm, openRaw),
    ]),
  };
}

/** Every algorithm at least matches its own script sent raw through the same driver. */
export function rawTargets(names: Record<Algorithm, { ours: string; raw: string }>): RatioTarget[] {
  return Object.values(names).map(({ ours: mine, raw: theirs }) => ({ ours: mine, theirs, atLeast: 1 }));
}

/** The RESP peers every RESP scenario races (the best of them at each point is the bar). */
export const RESP_PEERS = [
  'rate-limiter-flexible (ioredis)',
  'rate-limiter-flexible (ioredis, autopipelining)',
  'rate-limiter-flexible (node-redis)',
] as const;

/** rate-limiter-flexible over each RESP driver: its fixed window is the only algorithm it has on Redis. */
export function respPeers(): ContenderSpec[] {
  return [rlfIoredis(RESP_PEERS[0], false), rlfIoredis(RESP_PEERS[1], true), rlfNodeRedis(RESP_PEERS[2])];
}

/**
 * Fixed window, GCRA and the counter at >= 1.5x the best peer where callers overlap (64 and 512):
 * with 1 or 8 callers every library pays one round trip per check, which no client-side work
 * can shorten by half, so there the ratios are printed without a target. The exact log's ratio
 * is printed at every point.
 */
export function peerTargets(names: Record<Algorithm, { ours: string; raw: string }>): RatioTarget[] {
  const at = [64, 512];
  return [
    { ours: names.fixed.ours, theirs: RESP_PEERS, atLeast: 1.5, at },
    { ours: names.gcra.ours, theirs: RESP_PEERS, atLeast: 1.5, at },
    { ours: names.counter.ours, theirs: RESP_PEERS, atLeast: 1.5, at },
    { ours: names.log.ours, theirs: RESP_PEERS },
  ];
}
