/** The adapters of this repo, as the conformance kit sees them (used by `pnpm conformance`). */
import type { AdapterUnderTest } from '@redis-service/conformance';
import {
  ioredisAdapter,
  ioredisSentinelAdapter,
} from '../packages/adapter-ioredis/test/conformance-adapter.js';
import { ioredisClusterAdapter } from '../packages/adapter-ioredis/test/conformance-cluster-adapter.js';
import {
  nodeRedisAdapter,
  nodeRedisSentinelAdapter,
} from '../packages/adapter-node-redis/test/conformance-adapter.js';
import { nodeRedisClusterAdapter } from '../packages/adapter-node-redis/test/conformance-cluster-adapter.js';
import { upstashAdapter } from '../packages/adapter-upstash/test/conformance-adapter.js';
import { upstashClientAdapter } from '../packages/adapter-upstash/test/conformance-client-adapter.js';

export const adapters: readonly AdapterUnderTest[] = [
  ioredisAdapter,
  nodeRedisAdapter,
  ioredisClusterAdapter,
  nodeRedisClusterAdapter,
  ioredisSentinelAdapter,
  nodeRedisSentinelAdapter,
  upstashAdapter,
  upstashClientAdapter,
];
