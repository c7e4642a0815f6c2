import type { RedisCommand, RedisReply } from '../port/reply.js';

/** Options of `RedisNode.command`. */
export interface NodeCommandOptions {
  /** Stop waiting (for a permit or the reply) when this fires. */
  readonly signal?: AbortSignal;
}

/**
 * One node of the deployment a service talks to: a master of a Redis Cluster, or the one server.
 * For commands that act on one node's keyspace or state (DBSIZE, SCAN, FLUSHDB, SCRIPT LOAD,
 * INFO, ...), which `command()` refuses on a cluster because they would run on whichever node the
 * driver picked. From `redis.masters()`.
 *
 * ```ts
 * let keys = 0;
 * for (const node of await redis.masters()) keys += Number(await node.command(['DBSIZE']));
 * ```
 */
export interface RedisNode {
  /** `host:port` of a cluster master; the endpoint id of a single server. */
  readonly id: string;
  /**
   * Sends a raw command to this node only (no key prefix, no routing: a key of a slot this node
   * does not own gets the server's MOVED error), through the service's limiter and deadline.
   */
  command(command: RedisCommand, options?: NodeCommandOptions): Promise<RedisReply>;
}
