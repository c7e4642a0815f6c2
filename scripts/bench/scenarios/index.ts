/**
 * The registry of `pnpm bench`: every scenario, in the order they run. A new row is one file
 * under `scenarios/` exporting a `ThroughputScenario` or `ReportScenario`, and one line here.
 * The ceiling runs first: the GET/SET rows are printed as a fraction of it. The `cluster/...` rows
 * run on a private cluster of their own (`pnpm bench --only=cluster`).
 */
import type { Scenario } from '../framework/scenario.js';
import { blockingPopsIoredis, blockingPopsNodeRedis } from './blocking-pops.js';
import { ceilingScenario } from './ceiling.js';
import { clusterGetSetIoredis, clusterGetSetNodeRedis } from './cluster-get-set.js';
import { clusterMgetIoredis, clusterMgetNodeRedis } from './cluster-mget.js';
import { getSetIoredis } from './get-set-ioredis.js';
import { getSetNodeRedis } from './get-set-node-redis.js';
import { getSetUpstash } from './get-set-upstash.js';
import { l1HitLatency, l1HitThroughput, l1InvalidationDelay, l1TrackingModes } from './l1.js';
import { memoryScenario } from './memory.js';
import { rateLimitIoredis } from './rate-limit-ioredis.js';
import { rateLimitNodeRedis } from './rate-limit-node-redis.js';
import { rateLimitUpstash } from './rate-limit-upstash.js';
import { streamsConsume } from './streams-consume.js';
import { streamsProduce } from './streams-produce.js';
import { wakeUpScenario } from './wake-up.js';

export const scenarios: readonly Scenario[] = [
  ceilingScenario,
  getSetIoredis,
  getSetNodeRedis,
  getSetUpstash,
  rateLimitIoredis,
  rateLimitNodeRedis,
  rateLimitUpstash,
  blockingPopsIoredis,
  blockingPopsNodeRedis,
  streamsProduce,
  streamsConsume,
  wakeUpScenario('ioredis', true),
  wakeUpScenario('node-redis', true),
  // No target: every Upstash step is an HTTP request (the notice comes over an SSE stream).
  wakeUpScenario('upstash', false),
  memoryScenario,
  l1HitThroughput,
  l1HitLatency,
  l1InvalidationDelay('ioredis'),
  l1InvalidationDelay('node-redis'),
  l1TrackingModes,
  // On the run's private cluster, started only when one of these is selected.
  clusterGetSetIoredis,
  clusterGetSetNodeRedis,
  clusterMgetIoredis,
  clusterMgetNodeRedis,
];
