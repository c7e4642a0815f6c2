/** One node of a cluster as `CLUSTER NODES` describes it. */
export interface ClusterNodeInfo {
  /** The node id (40 hex characters). */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** `host:port`, the id drivers use for it. */
  readonly address: string;
  readonly role: 'master' | 'replica';
  /** For a replica, the id of its master. */
  readonly masterId: string | undefined;
  /** The node is flagged `fail` (or `fail?`: suspected by the node that answered). */
  readonly failing: boolean;
  /** The answering node's link to it is up. */
  readonly connected: boolean;
  /** The slot ranges it serves, `[first, last]` inclusive (masters only). */
  readonly slots: readonly (readonly [number, number])[];
  /** Whether this is the node that answered. */
  readonly myself: boolean;
}

/**
 * Parses `CLUSTER NODES`: `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch>
 * <link> <slot ranges...>`. Open-slot markers (`[slot->-id]`, `[slot-<-id]`) are not ranges.
 */
export function parseClusterNodes(text: string): ClusterNodeInfo[] {
  const nodes: ClusterNodeInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [id, addressField, flagField, master, , , , link, ...slotFields] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      ...string[],
    ];
    const hostPort = addressField.split('@')[0]!;
    const colon = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, colon);
    const port = Number(hostPort.slice(colon + 1));
    const flags = flagField.split(',');
    const slots: [number, number][] = [];
    for (const field of slotFields) {
      if (field.startsWith('[')) continue;
      const [first, last] = field.split('-');
      slots.push([Number(first), Number(last ?? first)]);
    }
    nodes.push({
      id,
      host,
      port,
      address: `${host}:${port}`,
      role: flags.includes('master') ? 'master' : 'replica',
      masterId: master === '-' ? undefined : master,
      failing: flags.includes('fail') || flags.includes('fail?'),
      connected: link === 'connected',
      slots,
      myself: flags.includes('myself'),
    });
  }
  return nodes;
}

/** The master that serves `slot` in `nodes`, if any. */
export function ownerOfSlot(nodes: readonly ClusterNodeInfo[], slot: number): ClusterNodeInfo | undefined {
  return nodes.find(
    (node) => node.role === 'master' && node.slots.some(([first, last]) => slot >= first && slot <= last),
  );
}
