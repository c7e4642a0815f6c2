import type { IntegrationContext } from '../../../case.js';
import { type FaultProxy, startFaultProxy } from '../../../harness/fault-proxy.js';

/** A fault proxy in front of the case's endpoint (closed after the case), and the URL through it. */
export async function caseProxy(ctx: IntegrationContext): Promise<{ proxy: FaultProxy; url: string }> {
  const proxy = await startFaultProxy({ target: ctx.url });
  ctx.defer(() => proxy.close());
  return { proxy, url: proxy.urlFor(ctx.url) };
}
