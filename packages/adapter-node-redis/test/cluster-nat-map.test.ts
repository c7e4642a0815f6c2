import {
  adminCommand,
  migrateSlot,
  ownerOfSlot,
  type RedisClusterHandle,
  startRedisCluster,
} from '@redis-service/conformance/harness';
import { keySlot, type RedisService, serviceOverDriver } from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisClusterDriverFromNodes, type NodeRedisClusterDriver } from '../src/index.js';

// The Docker/NAT setup: the cluster tells clients addresses they cannot reach, and the user maps
// them to reachable ones (node-redis' `nodeAddressMap`). TEST-NET-1: nothing answers there.
const ANNOUNCED = '192.0.2.1';
// `cluster-announce-ip` would be the nodes' bus address too, so they could not gossip on
// loopback; a hostname endpoint is what clients are given (CLUSTER SLOTS, MOVED, ASK) while the
// bus keeps the real IP. Redis only checks a hostname's characters, so an IP works as one.
const ANNOUNCE_ARGS = [
  '--cluster-announce-hostname',
  ANNOUNCED,
  '--cluster-preferred-endpoint-type',
  'hostname',
];

let cluster: RedisClusterHandle;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0, args: ANNOUNCE_ARGS });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** `nodeAddressMap` as a user writes it: each announced `host:port` to the address that reaches the node. */
function nodeAddressMap(): Record<string, { host: string; port: number }> {
  return Object.fromEntries(
    cluster.nodes.map((node) => [`${ANNOUNCED}:${node.port}`, { host: '127.0.0.1', port: node.port }]),
  );
}

/**
 * What `createNodeRedisClusterService` builds (driver, then `serviceOverDriver`), with the map
 * given as a user gives it; the driver is kept to watch how commands leave.
 */
function mappedService(): { redis: RedisService; driver: NodeRedisClusterDriver } {
  const driver = createNodeRedisClusterDriverFromNodes({
    nodes: cluster.urls,
    clusterOptions: { nodeAddressMap: nodeAddressMap() },
  });
  return { redis: serviceOverDriver(driver, {}), driver };
}

/** One key on each master (by port), from the cluster's own view. */
async function keyPerMaster(prefix: string): Promise<Map<number, string>> {
  const topology = await cluster.topology();
  const keys = new Map<number, string>();
  for (let i = 0; keys.size < topology.length; i++) {
    const key = `${prefix}:${i}`;
    const owner = ownerOfSlot(topology, keySlot(key))!;
    if (!keys.has(owner.port)) keys.set(owner.port, key);
  }
  return keys;
}

type Sender = { sendCommand(...args: unknown[]): Promise<unknown> };

/**
 * Records each command by how it left: `routed` through node-redis' cluster routing, `written`
 * to a master's client (by the port its socket was opened to). The direct path writes to the
 * slot master's client without going through the cluster's routing.
 */
async function recordSends(driver: NodeRedisClusterDriver) {
  const routed: string[] = [];
  const written: { address: string; name: string }[] = [];
  const nodeCluster = driver.cluster as unknown as Sender;
  const clusterSend = nodeCluster.sendCommand.bind(nodeCluster);
  nodeCluster.sendCommand = (...args) => {
    routed.push(String((args[2] as unknown[])[0]).toUpperCase());
    return clusterSend(...args);
  };
  for (const master of driver.cluster.masters) {
    const client = (await driver.cluster.nodeClient(master)) as unknown as Sender & {
      options?: { socket?: { host?: string; port?: number } };
    };
    const send = client.sendCommand.bind(client);
    const address = `${client.options?.socket?.host}:${client.options?.socket?.port}`;
    client.sendCommand = (...args) => {
      written.push({ address, name: String((args[0] as unknown[])[0]).toUpperCase() });
      return send(...args);
    };
  }
  return { routed, written };
}

const DATA_COMMANDS = new Set(['GET', 'SET', 'MGET', 'INCR']);

describe('a cluster behind NAT (announced addresses unreachable, mapped with nodeAddressMap)', () => {
  it('serves GET/SET on every master, a spanning MGET, a pipeline and per-node commands, each sent straight to the mapped master', async () => {
    const { redis, driver } = mappedService();
    try {
      const keys = await keyPerMaster('nat');
      const ports = [...keys.keys()].sort();
      // Per node: the ids are the addresses the cluster announces (node-redis keys its nodes by
      // them, and maps them only to open a socket), and each reaches its own node.
      const masters = await redis.masters();
      expect(masters.map((node) => node.id).sort()).toEqual(
        ports.map((port) => `${ANNOUNCED}:${port}`).sort(),
      );
      for (const node of masters) {
        expect(await node.command(['CONFIG', 'GET', 'port'])).toEqual(['port', node.id.split(':')[1]]);
      }

      const { routed, written } = await recordSends(driver);
      for (const [port, key] of keys) await redis.set(key, `v${port}`);
      for (const [port, key] of keys) expect(await redis.get(key)).toBe(`v${port}`);
      const list = [...keys.values()];
      expect(await redis.mget(list)).toEqual([...keys.keys()].map((port) => `v${port}`));
      const [set, got, counted] = await redis.pipeline((p) => [
        p.set(list[0]!, 'piped'),
        p.get(list[1]!),
        p.incr(list[2]!),
      ]);
      expect(set.ok && got.ok && !counted.ok).toBe(true); // INCR of a non-number: its own error
      expect(got.ok && got.value).toBe(`v${[...keys.keys()][1]}`);
      expect(await redis.get(list[0]!)).toBe('piped');

      // Nothing went through node-redis' routing: commands, MGET's parts and the pipeline's went
      // straight to the clients of the masters, at the mapped addresses, and every master got its share.
      const data = written.filter((entry) => DATA_COMMANDS.has(entry.name));
      expect(routed.filter((name) => DATA_COMMANDS.has(name))).toEqual([]);
      expect([...new Set(data.map((entry) => entry.address))].sort()).toEqual(
        ports.map((port) => `127.0.0.1:${port}`).sort(),
      );
    } finally {
      await redis.close();
    }
  });

  it('follows MOVED to an announced address to the mapped node after a slot moved', async () => {
    const { redis } = mappedService();
    try {
      const keys = Array.from({ length: 20 }, (_, i) => `{nat-moved}:${i}`);
      const slot = keySlot(keys[0]!);
      await Promise.all(keys.map((key) => redis.set(key, 'before')));
      const topology = await cluster.topology();
      const source = ownerOfSlot(topology, slot)!;
      const target = topology.find((node) => node.role === 'master' && node.id !== source.id)!;
      await migrateSlot(cluster, slot, target.address, { pauseMs: 0 });
      expect(await Promise.all(keys.map((key) => redis.get(key)))).toEqual(keys.map(() => 'before'));
      await redis.set(keys[0]!, 'after');
      expect(await redis.get(keys[0]!)).toBe('after');
      const masters = await redis.masters();
      expect(masters.map((node) => node.id).sort()).toEqual(
        cluster.nodes.map((node) => `${ANNOUNCED}:${node.port}`).sort(),
      );
      for (const node of masters) await node.command(['PING']);
    } finally {
      await redis.close();
    }
  });

  it('runs a transaction ASKed to the importing node at its announced address', async () => {
    const { redis } = mappedService();
    const key = '{nat-ask}:moved';
    const slot = keySlot(key);
    const topology = await cluster.topology();
    const source = ownerOfSlot(topology, slot)!;
    const target = topology.find((node) => node.role === 'master' && node.id !== source.id)!;
    const setslot = (node: typeof source, ...state: string[]) =>
      adminCommand(node.port, ['CLUSTER', 'SETSLOT', String(slot), ...state]);
    try {
      await redis.set(key, '1');
      // Half migrated, and kept so: the key is on the target, the source answers ASK for it.
      await setslot(target, 'IMPORTING', source.id);
      await setslot(source, 'MIGRATING', target.id);
      await adminCommand(source.port, ['MIGRATE', '127.0.0.1', String(target.port), key, '0', '5000']);
      const [counted] = await redis.transaction((t) => [t.incr(key)]);
      expect(counted.ok && counted.value).toBe(2);
      expect(await redis.get(key)).toBe('2');
    } finally {
      for (const node of topology.filter((entry) => entry.role === 'master'))
        await setslot(node, 'NODE', target.id);
      await redis.close();
    }
  });
});
