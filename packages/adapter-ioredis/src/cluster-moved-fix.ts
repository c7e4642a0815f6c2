import type { Cluster } from 'ioredis';

interface NodeAddress {
  host: string;
  port: number;
}

type NatMapper = (nodeKey: string | NodeAddress) => NodeAddress;
type MovedHandler = (slot: number, key: string) => void;

/** The parts of ioredis' `Cluster` this file reads and wraps (ioredis 6: `natMapper` is private). */
interface ClusterInternals {
  natMapper: NatMapper;
  handleError(error: Error, ttl: { value?: unknown }, handlers: { moved: MovedHandler }): void;
  slots: (string[] | undefined)[];
}

const installed = new WeakSet<Cluster>();

/**
 * `host:port` of the connection a cluster uses for a node the cluster announced as `address`
 * (a MOVED or ASK target): the cluster's `natMap` applied, as ioredis does when it reads
 * `CLUSTER SLOTS`, so that it matches the connections' addresses. `address` itself without a map.
 */
export function reachableAddress(cluster: Cluster, address: string): string {
  if (!cluster.options.natMap) return address;
  const mapped = (cluster as unknown as ClusterInternals).natMapper(address);
  return `${mapped.host}:${mapped.port}`;
}

/**
 * Wraps ioredis' MOVED handler, once per cluster, where it breaks the slot table until the slot
 * refresh the MOVED started has landed (the driver writes straight to the master the table names,
 * and `masters()` reads it):
 *
 * - It writes the new owner into `slots[slot]` in place, but ioredis shares one array among every
 *   slot of a `CLUSTER SLOTS` range: one moved slot sent the whole range of its old master to the
 *   new one (each command bouncing back with MOVED), and the old master dropped out of `masters()`.
 *   The slot gets an array of its own first.
 * - With a `natMap`, ioredis keys its connections and slot table by the mapped addresses, but the
 *   handler records the redirect's announced address and looks a connection up under it: there is
 *   none, so the command went to a random node (again on each bounce, up to "Too many Cluster
 *   redirections"), and `masters()` listed an address no connection has. The handler gets the
 *   mapped address, and its own mapping of that address is made a no-op (a map that is not
 *   idempotent, such as a port shift, must not be applied twice). ASK is mapped by ioredis itself.
 */
export function installMovedFix(cluster: Cluster): void {
  if (installed.has(cluster)) return;
  installed.add(cluster);
  const internals = cluster as unknown as ClusterInternals;
  const handleError = internals.handleError.bind(cluster);
  const mapKey = movedKeyMapper(cluster);
  internals.handleError = (error, ttl, handlers) =>
    handleError(error, ttl, {
      ...handlers,
      moved: (slot, key) => {
        const own = internals.slots[slot];
        if (own) internals.slots[slot] = [...own];
        handlers.moved(slot, mapKey(key));
      },
    });
}

/** Maps a MOVED target to the key of its connection (see `installMovedFix`); identity without a `natMap`. */
function movedKeyMapper(cluster: Cluster): (key: string) => string {
  if (!cluster.options.natMap) return (key) => key;
  const internals = cluster as unknown as ClusterInternals;
  const natMapper = internals.natMapper.bind(cluster);
  // Mapped addresses handed to the MOVED handler, by key: bounded by the cluster's nodes.
  const handed = new Map<string, NodeAddress>();
  internals.natMapper = (nodeKey) => {
    const known = typeof nodeKey === 'string' ? handed.get(nodeKey) : undefined;
    return known ? { ...known } : natMapper(nodeKey);
  };
  return (key) => {
    const { host, port } = natMapper(key);
    const mapped = `${host}:${port}`;
    handed.set(mapped, { host, port });
    return mapped;
  };
}
