import type { RedisService } from '@redis-service/core';
import type { IntegrationContext } from '../../../case.js';
import { announceConnectionsCut } from '../../../faults/connection-cuts.js';
import { redisServerAvailable, startRedisServer } from '../../../harness/redis-server.js';

/** A server a case may restart, with a service of the case's on it. */
export interface RestartableServer {
  /** A service over the adapter, on that server, with the case's prefix. */
  readonly redis: RedisService;
  /** Stops the server and starts it again on the same port (its data is lost). */
  restart(): Promise<void>;
}

/**
 * The run's own server when it started one; otherwise (the run uses `REDIS_URL`, a server it must
 * not restart) a private redis-server for this case alone, exposed the way the adapter needs it.
 * Skips the case only when no redis-server can be started here.
 */
export async function restartableServer(ctx: IntegrationContext): Promise<RestartableServer> {
  const { restartServer } = ctx;
  if (restartServer) return { redis: ctx.redis, restart: restartServer };
  if (!redisServerAvailable()) {
    ctx.skip('the run uses a server it must not restart, and no redis-server can be started here');
  }
  const server = await startRedisServer();
  ctx.defer(() => server.stop());
  const exposed = ctx.adapter.exposeServer ? await ctx.adapter.exposeServer(server.url) : undefined;
  if (exposed) ctx.defer(() => exposed.close());
  const redis = await ctx.createService({ url: exposed?.url ?? server.url });
  return {
    redis,
    restart: async () => {
      await server.restart();
      announceConnectionsCut();
    },
  };
}
