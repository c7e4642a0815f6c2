import {
  type BatchItemResult,
  type ClusterRedirect,
  clusterRedirect,
  RedisConnectionError,
  slotName,
} from '@redis-service/core';
import { type BatchReader, type CommandOutcome, settleAll, transactionResults } from './batch-results.js';
import type { NodeRedisClient, NodeRedisCommandOptions } from './node-redis-client.js';
import type { NodeRedisCluster } from './node-redis-cluster.js';
import { REPLY_TYPE_MAPPING } from './normalize-reply.js';

/**
 * The longest a transaction keeps following redirections (ms): a slot migration can keep a
 * transaction bouncing between ASK and TRYAGAIN until its keys have all moved. The driver's
 * command timeout usually ends the wait for the caller first.
 */
const MAX_REDIRECTING_MS = 10_000;
/** The pause before a transaction the cluster answered TRYAGAIN is sent again. */
const RETRY_PAUSE_MS = 50;

/**
 * Runs `MULTI`, the commands and `EXEC` as one chain on the master of `slot` (any master when
 * `undefined`), and follows the cluster's redirections of a transaction it refused as a whole, so
 * nothing of it ran: MOVED (to the new owner), ASK (ASKING first, on the importing node; ASKING
 * holds for every command of a MULTI) and TRYAGAIN (the same node a moment later). Each command
 * keeps its own reply or error, read by `transactionResults` as for one server (node-redis'
 * `multi().exec()` would reject as a whole on the first error).
 */
export async function clusterTransaction(
  cluster: NodeRedisCluster,
  slot: number | undefined,
  commands: readonly (readonly (string | Buffer)[])[],
  reader: BatchReader,
): Promise<BatchItemResult[]> {
  const owner = () =>
    slot === undefined
      ? cluster.nodeClient(firstMaster(cluster))
      : cluster.getNodeClientForKey(slotName(slot));
  let client = await owner();
  let asking = false;
  const giveUpAt = Date.now() + MAX_REDIRECTING_MS;
  for (;;) {
    const all = await runChain(client, commands, asking);
    const outcomes: CommandOutcome[] = asking ? all.slice(1) : all;
    const redirect: ClusterRedirect | undefined =
      Date.now() < giveUpAt ? transactionRedirect(outcomes) : undefined;
    if (!redirect) return transactionResults(outcomes, reader);
    asking = redirect.kind === 'ask';
    if (redirect.kind === 'tryagain') {
      // Keys on both sides of a migration: start again from the slot's owner a moment later.
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      client = await owner();
      continue;
    }
    const node = cluster.nodeByAddress.get(redirect.address);
    if (!node)
      throw new RedisConnectionError(
        `the cluster redirected a transaction to ${redirect.address}, a node it does not know`,
      );
    client = await cluster.nodeClient(node);
  }
}

function runChain(
  client: NodeRedisClient,
  commands: readonly (readonly (string | Buffer)[])[],
  asking: boolean,
): Promise<CommandOutcome[]> {
  const chain: NodeRedisCommandOptions = {
    typeMapping: REPLY_TYPE_MAPPING,
    chainId: Symbol('redis-service transaction'),
  };
  const sent: Promise<unknown>[] = [];
  // All in one synchronous run: nothing else can enter the chain between MULTI and EXEC.
  if (asking) sent.push(client.sendCommand(['ASKING'], chain));
  sent.push(client.sendCommand(['MULTI'], chain));
  for (const args of commands) sent.push(client.sendCommand(args, chain));
  sent.push(client.sendCommand(['EXEC'], chain));
  return settleAll(sent);
}

/** The redirection that refused a whole transaction, if one did (see the ioredis driver's twin). */
function transactionRedirect(outcomes: readonly CommandOutcome[]): ClusterRedirect | undefined {
  const exec = outcomes[outcomes.length - 1];
  if (!exec || exec.ok || !(exec.error instanceof Error)) return undefined;
  const own = clusterRedirect(exec.error.message);
  if (own) return own;
  if (!exec.error.message.startsWith('EXECABORT')) return undefined;
  for (const outcome of outcomes.slice(1, -1)) {
    const redirect =
      !outcome.ok && outcome.error instanceof Error ? clusterRedirect(outcome.error.message) : undefined;
    if (redirect) return redirect;
  }
  return undefined;
}

function firstMaster(cluster: NodeRedisCluster) {
  const master = cluster.masters[0];
  if (!master) throw new RedisConnectionError('the cluster has no master in its topology');
  return master;
}
