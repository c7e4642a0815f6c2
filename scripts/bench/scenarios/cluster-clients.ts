/** The raw cluster clients the cluster rows measure against, opened on the run's private cluster. */
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import type { BenchContext } from '../framework/scenario.js';

/** The one concurrency the cluster rows run at (the service's default `maxInflight`). */
export const CLUSTER_CALLERS = 64;

/** An ioredis `Cluster` with its defaults (and `enableAutoPipelining` when asked), once ready. */
export async function openIoredisCluster(ctx: BenchContext, enableAutoPipelining: boolean): Promise<Cluster> {
  const seeds = (await ctx.cluster()).nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  const client = new Cluster(seeds, { enableAutoPipelining });
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  return client;
}

/** A node-redis cluster client with its defaults, connected. */
export async function openNodeRedisCluster(ctx: BenchContext) {
  const cluster = await ctx.cluster();
  const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  client.on('error', () => {});
  await client.connect();
  return client;
}
