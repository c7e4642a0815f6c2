import {
  type BatchItemResult,
  type ClusterRedirect,
  clusterRedirect,
  RedisConnectionError,
} from '@redis-service/core';
import type { Cluster, Redis } from 'ioredis';
import { type BatchReader, type PipelineOutcome, transactionResults } from './batch-results.js';
import { reachableAddress } from './cluster-moved-fix.js';
import type { EncodedCommand } from './encode-command.js';

/**
 * The longest a transaction keeps following redirections (ms): a slot migration can keep a
 * transaction bouncing between ASK and TRYAGAIN until its keys have all moved. Core's command
 * timeout usually ends the wait for the caller first.
 */
const MAX_REDIRECTING_MS = 10_000;
/** The pause before a transaction the cluster answered TRYAGAIN (or a slot not yet known) is sent again. */
const RETRY_PAUSE_MS = 50;

/**
 * Runs `MULTI`, the commands and `EXEC` (one pipeline) on the master of `slot` (any master when
 * `undefined`), and follows the cluster's redirections of a transaction it refused as a whole, so
 * nothing of it ran: MOVED (to the new owner), ASK (ASKING, then the transaction, on the node the
 * slot is being imported to; ASKING holds for every command of a MULTI) and TRYAGAIN (the same
 * node a moment later). One result per command, as `transactionResults` reads them.
 *
 * The pipeline goes to the node's own connection: ioredis' cluster pipelines retry a redirection
 * only when every reply failed the same way, which a MULTI whose EXEC says EXECABORT never does.
 */
export async function clusterTransaction(
  cluster: Cluster,
  slot: number | undefined,
  commands: readonly EncodedCommand[],
  reader: BatchReader,
): Promise<BatchItemResult[]> {
  const names = commands.map((command) => command.name);
  let target = nodeOfSlot(cluster, slot);
  let asking = false;
  const giveUpAt = Date.now() + MAX_REDIRECTING_MS;
  for (;;) {
    if (!target) {
      cluster.refreshSlotsCache();
      await pause(RETRY_PAUSE_MS);
      target = nodeOfSlot(cluster, slot);
      if (!target) throw new RedisConnectionError(`no master serves hash slot ${String(slot)} right now`);
    }
    const pipeline = target.pipeline();
    if (asking) pipeline.callBuffer('ASKING');
    pipeline.callBuffer('MULTI');
    for (const command of commands) pipeline.callBuffer(command.name, ...command.args);
    pipeline.callBuffer('EXEC');
    const all = (await pipeline.exec()) as PipelineOutcome[] | null;
    const outcomes: PipelineOutcome[] | null = asking && all ? all.slice(1) : all;
    const redirect: ClusterRedirect | undefined =
      Date.now() < giveUpAt ? transactionRedirect(outcomes) : undefined;
    if (!redirect) return transactionResults(names, outcomes, reader);
    asking = redirect.kind === 'ask';
    if (redirect.kind === 'tryagain') {
      // Keys on both sides of a migration: start again from the slot's owner a moment later.
      await pause(RETRY_PAUSE_MS);
      target = nodeOfSlot(cluster, slot);
    } else {
      if (redirect.kind === 'moved') cluster.refreshSlotsCache();
      // The redirect names the address the cluster announces; the connection is at the mapped one.
      target = nodeAt(cluster, reachableAddress(cluster, redirect.address));
    }
  }
}

/**
 * The redirection that refused a whole transaction, if one did: EXEC itself redirected
 * (the server discards the transaction), or EXEC answered EXECABORT because a command was
 * redirected when it was queued.
 */
function transactionRedirect(outcomes: readonly PipelineOutcome[] | null): ClusterRedirect | undefined {
  if (!outcomes || outcomes.length < 2) return undefined;
  const [execError] = outcomes[outcomes.length - 1]!;
  if (!(execError instanceof Error)) return undefined;
  const own = clusterRedirect(execError.message);
  if (own) return own;
  if (!execError.message.startsWith('EXECABORT')) return undefined;
  for (const [error] of outcomes.slice(1, -1)) {
    const redirect = error instanceof Error ? clusterRedirect(error.message) : undefined;
    if (redirect) return redirect;
  }
  return undefined;
}

/** The connection to the master of `slot` as the cluster's slot table has it (any master for none). */
export function nodeOfSlot(cluster: Cluster, slot: number | undefined): Redis | undefined {
  if (slot === undefined) return cluster.nodes('master')[0];
  const owner = cluster.slots[slot]?.[0];
  return owner === undefined ? undefined : nodeAt(cluster, owner);
}

/** The cluster's connection to the node at `host:port`, if it has one. */
export function nodeAt(cluster: Cluster, address: string): Redis | undefined {
  return cluster.nodes('all').find((node) => addressOf(node) === address);
}

/** `host:port` of one of a cluster's node connections. */
export function addressOf(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
