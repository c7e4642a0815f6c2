import type { RedisService, RedisServiceOptions } from '@redis-service/core';
import { RespConnection } from '../../../bridge/resp-connection.js';
import type { IntegrationContext } from '../../../case.js';
import {
  type RedisServerHandle,
  redisServerAvailable,
  startRedisServer,
} from '../../../harness/redis-server.js';

/**
 * Starts a redis-server of the case's own (with `args`, stopped after the case), for cases that
 * need a server in a state of its own: a password, a replica, a cluster node, a memory limit.
 * Skips the case, with the reason, where no redis-server can be started.
 */
export async function privateServer(
  ctx: IntegrationContext,
  args: readonly string[] = [],
): Promise<RedisServerHandle> {
  if (!redisServerAvailable()) {
    ctx.skip('this case starts redis-servers of its own, and no redis-server binary can be run here');
  }
  const server = await startRedisServer({ args });
  ctx.defer(() => server.stop());
  return server;
}

/**
 * The URL the adapter connects to for the Redis at `redisUrl`: what its `exposeServer` makes of it
 * (a REST bridge, say; closed after the case), or `redisUrl` itself.
 */
export async function adapterUrlFor(ctx: IntegrationContext, redisUrl: string): Promise<string> {
  const expose = ctx.adapter.exposeServer;
  if (!expose) return redisUrl;
  const exposed = await expose(redisUrl);
  ctx.defer(() => exposed.close());
  return exposed.url;
}

/** A service over the adapter for the Redis at `redisUrl` (through `adapterUrlFor`). */
export async function serviceFor(
  ctx: IntegrationContext,
  redisUrl: string,
  options: RedisServiceOptions = {},
): Promise<RedisService> {
  return ctx.createService({ ...options, url: await adapterUrlFor(ctx, redisUrl) });
}

/**
 * A plain RESP connection to the server at `redisUrl` (closed after the case), to put it into a
 * state (run a long script, kill it) whatever the adapter speaks.
 */
export async function rawConnection(ctx: IntegrationContext, redisUrl: string): Promise<RespConnection> {
  const url = new URL(redisUrl);
  const connection = await RespConnection.open(url.hostname, Number(url.port));
  ctx.defer(() => connection.close());
  return connection;
}

/** Stops the server's process (SIGSTOP) until the case ends or `resume()` (SIGCONT) is called. */
export function pauseServer(ctx: IntegrationContext, server: RedisServerHandle): () => void {
  const pid = server.pid;
  if (pid === undefined) throw new Error('the server has no process id');
  let paused = true;
  const resume = () => {
    if (!paused) return;
    paused = false;
    process.kill(pid, 'SIGCONT');
  };
  process.kill(pid, 'SIGSTOP');
  ctx.defer(resume);
  return resume;
}
