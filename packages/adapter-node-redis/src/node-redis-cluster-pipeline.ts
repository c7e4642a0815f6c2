import { clusterRedirect, RedisConnectionError, slotName } from '@redis-service/core';
import { type CommandOutcome, settleAll } from './batch-results.js';
import type { NodeRedisCommandOptions } from './node-redis-client.js';
import type { NodeRedisCluster } from './node-redis-cluster.js';
import { REPLY_TYPE_MAPPING } from './normalize-reply.js';

/**
 * Sends the commands of one slot (one slot's share of a pipeline; `undefined`: keyless commands)
 * to that slot's master as one chain, so they run in the order given: node-redis' own routing
 * would not keep it (a multi-key command takes a slower path there than a single-key one). A
 * command the node redirected (MOVED, ASK: the slot moved or is moving; TRYAGAIN) did not run:
 * those are sent again, one after the other in their order, through `resend`, which follows the
 * cluster's redirections. Every command gets its own outcome; none rejects the whole.
 */
export async function clusterPipeline(
  cluster: NodeRedisCluster,
  slot: number | undefined,
  commands: readonly (readonly (string | Buffer)[])[],
  resend: (args: readonly (string | Buffer)[]) => Promise<unknown>,
): Promise<CommandOutcome[]> {
  let outcomes: CommandOutcome[];
  try {
    const client = await (slot === undefined
      ? cluster.nodeClient(anyMaster(cluster))
      : cluster.getNodeClientForKey(slotName(slot)));
    const chain: NodeRedisCommandOptions = {
      typeMapping: REPLY_TYPE_MAPPING,
      chainId: Symbol('redis-service pipeline'),
    };
    outcomes = await settleAll(commands.map((args) => client.sendCommand(args, chain)));
  } catch (error) {
    // No client for the slot's master (the cluster is not ready, the node is gone): nothing was sent.
    return commands.map(() => ({ ok: false, error }));
  }
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i]!;
    if (outcome.ok || !redirected(outcome.error)) continue;
    outcomes[i] = await resend(commands[i]!).then(
      (raw): CommandOutcome => ({ ok: true, raw }),
      (error: unknown): CommandOutcome => ({ ok: false, error }),
    );
  }
  return outcomes;
}

/** The node answered with a redirection: the command did not run there. */
function redirected(error: unknown): boolean {
  return error instanceof Error && clusterRedirect(error.message) !== undefined;
}

function anyMaster(cluster: NodeRedisCluster) {
  const master = cluster.masters[0];
  if (!master) throw new RedisConnectionError('the cluster has no master in its topology');
  return master;
}
