import type { IntegrationContext } from '../../../case.js';
import { startTcpRelay, type TcpRelay } from './tcp-relay.js';

/** A relay in front of the case's server, closed after the case. */
export async function caseRelay(ctx: IntegrationContext): Promise<TcpRelay> {
  const relay = await startTcpRelay(ctx.url);
  ctx.defer(() => relay.close());
  return relay;
}
