/** The adapters of this repo, as the conformance kit sees them (used by `pnpm conformance`). */
import type { AdapterUnderTest, Topology } from '@redis-service/conformance';
import { ioredisAdapter } from '../packages/adapter-ioredis/test/conformance-adapter.js';
import { nodeRedisAdapter } from '../packages/adapter-node-redis/test/conformance-adapter.js';
import { upstashAdapter } from '../packages/adapter-upstash/test/conformance-adapter.js';
import { upstashClientAdapter } from '../packages/adapter-upstash/test/conformance-client-adapter.js';

export const adapters: readonly AdapterUnderTest[] = [
  ioredisAdapter,
  nodeRedisAdapter,
  upstashAdapter,
  upstashClientAdapter,
];

/** One column of `pnpm conformance`: an adapter on one topology. */
export interface ConformanceTarget {
  /** The column's title: the adapter's name, with the topology unless it is a single server. */
  readonly label: string;
  readonly adapter: AdapterUnderTest;
  readonly topology: Topology;
}

/** Every adapter on a single server, and those that declare it on the sentinel topology too. */
export const conformanceTargets: readonly ConformanceTarget[] = [
  ...adapters.map((adapter) => ({ label: adapter.name, adapter, topology: 'single' as const })),
  ...adapters
    .filter((adapter) => adapter.topologies?.includes('sentinel'))
    .map((adapter) => ({ label: `${adapter.name}/sentinel`, adapter, topology: 'sentinel' as const })),
];
