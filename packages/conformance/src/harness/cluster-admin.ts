import { adminList, adminText } from './admin-command.js';
import { type ClusterNodeInfo, ownerOfSlot, parseClusterNodes } from './cluster-topology.js';
import type { RedisClusterHandle } from './redis-cluster.js';

/** Options of `migrateSlot`. */
export interface MigrateSlotOptions {
  /** Keys moved per MIGRATE. Default 10. */
  readonly keysPerStep?: number;
  /** Pause between steps (ms), so callers meet the slot half migrated (ASK, TRYAGAIN). Default 20. */
  readonly pauseMs?: number;
  /** Called after each step with how many keys have moved so far. */
  readonly onStep?: (moved: number) => void;
}

/**
 * Moves one hash slot, with its keys, from its master to `target` (a master's `host:port`), the
 * way `redis-cli --cluster reshard` does: IMPORTING on the target, MIGRATING on the source, MIGRATE
 * of its keys a few at a time, then SETSLOT ... NODE on every master. Resolves with how many keys
 * moved. Clients meanwhile get ASK for keys already moved and TRYAGAIN for multi-key commands
 * over both halves; after the last step, MOVED.
 */
export async function migrateSlot(
  cluster: RedisClusterHandle,
  slot: number,
  target: string,
  options: MigrateSlotOptions = {},
): Promise<number> {
  const nodes = await cluster.topology();
  const source = ownerOfSlot(nodes, slot);
  const destination = nodes.find((node) => node.address === target && node.role === 'master');
  if (!source || !destination) throw new Error(`slot ${slot} or master ${target} is not in the cluster`);
  if (source.id === destination.id) return 0;
  const step = String(options.keysPerStep ?? 10);
  const pause = options.pauseMs ?? 20;
  await admin(destination, ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', source.id]);
  await admin(source, ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', destination.id]);
  let moved = 0;
  for (;;) {
    const keys = await adminList(
      source.port,
      ['CLUSTER', 'GETKEYSINSLOT', String(slot), step],
      15_000,
      source.host,
    );
    if (keys.length === 0) break;
    await admin(source, [
      'MIGRATE',
      destination.host,
      String(destination.port),
      '',
      '0',
      '10000',
      'KEYS',
      ...keys,
    ]);
    moved += keys.length;
    options.onStep?.(moved);
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
  // The target first, then the source, then the other masters (as redis-cli does).
  const masters = nodes.filter((node) => node.role === 'master' && !node.failing);
  const order = [
    destination,
    source,
    ...masters.filter((node) => node.id !== destination.id && node.id !== source.id),
  ];
  for (const node of order) await admin(node, ['CLUSTER', 'SETSLOT', String(slot), 'NODE', destination.id]);
  return moved;
}

/** The master that serves `slot` now, as the cluster's nodes see it. */
export async function slotOwner(cluster: RedisClusterHandle, slot: number): Promise<ClusterNodeInfo> {
  const owner = ownerOfSlot(await cluster.topology(), slot);
  if (!owner) throw new Error(`no master serves slot ${slot}`);
  return owner;
}

/** Whether every running node agrees that `address` serves `slot`. */
export async function slotSettled(
  cluster: RedisClusterHandle,
  slot: number,
  address: string,
): Promise<boolean> {
  for (const node of cluster.nodes.filter((candidate) => candidate.running)) {
    const view = parseClusterNodes(await adminText(node.port, ['CLUSTER', 'NODES'], 5000));
    if (ownerOfSlot(view, slot)?.address !== address) return false;
  }
  return true;
}

/** `adminText` to one node. */
async function admin(node: ClusterNodeInfo, argv: readonly string[]): Promise<string> {
  return adminText(node.port, argv, 15_000, node.host);
}
