import type { IntegrationContext } from '../../../case.js';
import { type FaultProxy, startFaultProxy } from '../../../harness/fault-proxy.js';

/** A fault proxy in front of the case's endpoint (closed after the case), and the URL through it. */
export async function caseProxy(ctx: IntegrationContext): Promise<{ proxy: FaultProxy; url: string }> {
  const proxy = await startFaultProxy({ target: ctx.url });
  ctx.defer(() => proxy.close());
  return { proxy, url: proxy.urlFor(ctx.url) };
}

/** Why a case that runs through `caseProxy` cannot run on a Redis Cluster. */
export const THROUGH_PROXY =
  'a fault proxy stands in front of one node, and a cluster client reaches every node at the address the cluster announces, around the proxy';
