/**
 * A 100-key MGET on a Redis Cluster at 64 callers. The keys span ~100 slots on every master, so a
 * raw cluster client refuses the MGET (CROSSSLOT): what users write instead is a GET per key in
 * parallel, which is the baseline. The service splits the MGET by slot and sends the parts in
 * parallel; the ratio is its gain over that loop.
 */
import { createIoredisClusterService } from '@redis-service/adapter-ioredis';
import { createNodeRedisClusterService } from '@redis-service/adapter-node-redis';
import type { RedisService } from '@redis-service/core';
import type {
  BenchContext,
  ContenderRole,
  ContenderSpec,
  ThroughputScenario,
} from '../framework/scenario.js';
import { CLUSTER_CALLERS, openIoredisCluster, openNodeRedisCluster } from './cluster-clients.js';
import { SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

/** Keys per MGET. */
const MGET_KEYS = 100;
/** Key sets the operations take turns over (so not every MGET reads the same 100 keys). */
const KEY_SETS = 10;
const keySets = Array.from({ length: KEY_SETS }, (_, set) =>
  Array.from({ length: MGET_KEYS }, (_, i) => `bench:mget:${set * MGET_KEYS + i}`),
);
const valueFor = (key: string) => `v:${key}`;

/** A client under test: the 100 values of 100 keys, however it gets them, and how to close it. */
interface MgetClient {
  read(keys: readonly string[]): Promise<readonly (string | null)[]>;
  close(): Promise<unknown> | unknown;
}

/**
 * A contender that reads one key set per operation. It writes the keys first (through the
 * service, so the writes never count) and checks one read returns every value in order: a
 * contender that reads the wrong keys fails the run instead of looking fast.
 */
function mgetContender(
  name: string,
  role: ContenderRole,
  open: (ctx: BenchContext) => Promise<MgetClient>,
): ContenderSpec {
  return {
    name,
    role,
    async open(ctx) {
      const writer = createIoredisClusterService({ nodes: (await ctx.cluster()).urls });
      try {
        await writer.mset(Object.fromEntries(keySets.flat().map((key) => [key, valueFor(key)])));
      } finally {
        await writer.close();
      }
      const client = await open(ctx);
      const sample = await client.read(keySets[1]!);
      if (sample.some((value, i) => value !== valueFor(keySets[1]![i]!))) {
        await client.close();
        throw new Error(`${name} read the wrong values of an MGET`);
      }
      return {
        operation: (i) => client.read(keySets[i % KEY_SETS]!),
        close: () => client.close(),
      };
    },
  };
}

function serviceClient(service: RedisService): MgetClient {
  return { read: (keys) => service.mget(keys), close: () => service.close() };
}

const RAW_IOREDIS = 'raw ioredis Cluster, GET per key';
const AUTOPIPE_IOREDIS = 'raw ioredis Cluster (autopipelining), GET per key';
const OURS_IOREDIS = 'service (ioredis cluster) MGET';

export const clusterMgetIoredis: ThroughputScenario = {
  kind: 'throughput',
  id: 'cluster/mget/ioredis',
  title: `${MGET_KEYS}-key MGET on a 3-master cluster, ioredis`,
  unit: 'MGETs/s',
  contenders: [
    mgetContender(RAW_IOREDIS, 'raw', async (ctx) => {
      const client = await openIoredisCluster(ctx, false);
      return {
        read: (keys) => Promise.all(keys.map((key) => client.get(key))),
        close: () => client.disconnect(),
      };
    }),
    // With autopipelining the GETs of one tick go as one pipeline per node.
    mgetContender(AUTOPIPE_IOREDIS, 'raw', async (ctx) => {
      const client = await openIoredisCluster(ctx, true);
      return {
        read: (keys) => Promise.all(keys.map((key) => client.get(key))),
        close: () => client.disconnect(),
      };
    }),
    mgetContender(OURS_IOREDIS, 'ours', async (ctx) =>
      serviceClient(
        createIoredisClusterService({ nodes: (await ctx.cluster()).urls, maxInflight: SWEEP_MAX_INFLIGHT }),
      ),
    ),
  ],
  targets: [
    { ours: OURS_IOREDIS, theirs: RAW_IOREDIS },
    { ours: OURS_IOREDIS, theirs: AUTOPIPE_IOREDIS },
    { ours: OURS_IOREDIS, theirs: [RAW_IOREDIS, AUTOPIPE_IOREDIS], atLeast: 0.95 },
  ],
  sweep: [CLUSTER_CALLERS],
  onCluster: true,
};

const RAW_NODE_REDIS = 'raw node-redis cluster, GET per key';
const OURS_NODE_REDIS = 'service (node-redis cluster) MGET';

export const clusterMgetNodeRedis: ThroughputScenario = {
  kind: 'throughput',
  id: 'cluster/mget/node-redis',
  title: `${MGET_KEYS}-key MGET on a 3-master cluster, node-redis`,
  unit: 'MGETs/s',
  contenders: [
    mgetContender(RAW_NODE_REDIS, 'raw', async (ctx) => {
      const client = await openNodeRedisCluster(ctx);
      return {
        read: (keys) => Promise.all(keys.map((key) => client.get(key))),
        close: () => client.destroy(),
      };
    }),
    mgetContender(OURS_NODE_REDIS, 'ours', async (ctx) =>
      serviceClient(
        createNodeRedisClusterService({ nodes: (await ctx.cluster()).urls, maxInflight: SWEEP_MAX_INFLIGHT }),
      ),
    ),
  ],
  targets: [{ ours: OURS_NODE_REDIS, theirs: RAW_NODE_REDIS, atLeast: 0.95 }],
  sweep: [CLUSTER_CALLERS],
  onCluster: true,
};
