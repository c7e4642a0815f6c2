import {
  adminCommand,
  migrateSlot,
  ownerOfSlot,
  type RedisClusterHandle,
  replyText,
  startRedisCluster,
} from '@redis-service/conformance/harness';
import { keySlot, type RedisService } from '@redis-service/core';
import { Cluster, type Command, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIoredisClusterService } from '../src/index.js';

// The Docker/NAT setup: the cluster tells clients addresses they cannot reach, and the user maps
// them to reachable ones (ioredis' `natMap`). TEST-NET-1: nothing answers there.
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
type ArrayReply = { readonly items: readonly Parameters<typeof replyText>[0][] };

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0, args: ANNOUNCE_ARGS });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** `natMap` as a user writes it: each announced `host:port` to the address that reaches the node. */
function natMap(): Record<string, { host: string; port: number }> {
  return Object.fromEntries(
    cluster.nodes.map((node) => [`${ANNOUNCED}:${node.port}`, { host: '127.0.0.1', port: node.port }]),
  );
}

/**
 * `natMap` as a function that is not idempotent: an address it does not know (one it mapped
 * already) goes to another unreachable one, so mapping a MOVED target twice would lose the node.
 */
function natMapFunction(key: string): { host: string; port: number } {
  const colon = key.lastIndexOf(':');
  const port = Number(key.slice(colon + 1));
  return key.slice(0, colon) === ANNOUNCED ? { host: '127.0.0.1', port } : { host: '192.0.2.2', port };
}

function mappedService(map: 'object' | 'function' = 'object'): RedisService {
  return createIoredisClusterService({
    nodes: cluster.urls,
    clusterOptions: { natMap: map === 'object' ? natMap() : natMapFunction },
  });
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

/**
 * Records each command by how it left: `routed` through ioredis' cluster routing, `written` to a
 * node connection (`host:port` of the connection: mapped or announced). The direct path writes
 * to a node without going through the cluster's routing.
 */
function recordSends() {
  const routed: string[] = [];
  const written: { address: string; name: string }[] = [];
  const clusters = new Set<Cluster>();
  const clusterSend = Cluster.prototype.sendCommand;
  vi.spyOn(Cluster.prototype, 'sendCommand').mockImplementation(function (this: Cluster, command, ...rest) {
    routed.push((command as Command).name.toUpperCase());
    clusters.add(this);
    return clusterSend.call(this, command, ...rest);
  });
  const redisSend = Redis.prototype.sendCommand;
  vi.spyOn(Redis.prototype, 'sendCommand').mockImplementation(function (this: Redis, command, ...rest) {
    written.push({ address: `${this.options.host}:${this.options.port}`, name: command.name.toUpperCase() });
    return redisSend.call(this, command, ...rest);
  });
  return { routed, written, clusters };
}

const DATA_COMMANDS = new Set(['GET', 'SET', 'MGET', 'INCR']);

describe('a cluster behind NAT (announced addresses unreachable, mapped with natMap)', () => {
  it('announces the unreachable address to clients', async () => {
    // The setup itself: without this the test below would prove nothing.
    const node = cluster.nodes[0]!;
    const reply = (await adminCommand(node.port, ['CLUSTER', 'SLOTS'])) as ArrayReply;
    // Each range: first slot, last slot, then per node [endpoint, port, id, metadata].
    const endpoints = reply.items.flatMap((range) =>
      (range as ArrayReply).items.slice(2).map((entry) => replyText((entry as ArrayReply).items[0]!)),
    );
    expect(endpoints.length).toBe(3);
    expect(new Set(endpoints)).toEqual(new Set([ANNOUNCED]));
  });

  it('serves GET/SET on every master, a spanning MGET, a pipeline and per-node commands, each written straight to the mapped master', async () => {
    const redis = mappedService();
    try {
      const keys = await keyPerMaster('nat');
      const ports = [...keys.keys()].sort();
      // Per node: the ids are the mapped (reachable) addresses, and each reaches its own node.
      const masters = await redis.masters();
      expect(masters.map((node) => node.id).sort()).toEqual(ports.map((port) => `127.0.0.1:${port}`).sort());
      for (const node of masters) {
        expect(await node.command(['CONFIG', 'GET', 'port'])).toEqual(['port', node.id.split(':')[1]]);
      }

      const { routed, written } = recordSends();
      for (const [port, key] of keys) await redis.set(key, `v${port}`);
      for (const [port, key] of keys) expect(await redis.get(key)).toBe(`v${port}`);
      const list = [...keys.values()];
      expect(await redis.mget(list)).toEqual([...keys.keys()].map((port) => `v${port}`));
      const [set, got, counted] = await redis.pipeline((p) => [
        p.set(list[0]!, 'piped'),
        p.get(list[1]!),
        p.incr(`${list[2]!}`),
      ]);
      expect(set.ok && got.ok && !counted.ok).toBe(true); // INCR of a non-number: its own error
      expect(got.ok && got.value).toBe(`v${[...keys.keys()][1]}`);
      expect(await redis.get(list[0]!)).toBe('piped');

      // Nothing went through ioredis' routing: the slot table named each master by the key of a
      // ready connection, at the mapped address, and every master got its share.
      expect(routed.filter((name) => DATA_COMMANDS.has(name))).toEqual([]);
      const data = written.filter((entry) => DATA_COMMANDS.has(entry.name));
      expect(data.some((entry) => entry.address.startsWith(`${ANNOUNCED}:`))).toBe(false);
      expect([...new Set(data.map((entry) => entry.address))].sort()).toEqual(
        ports.map((port) => `127.0.0.1:${port}`).sort(),
      );
    } finally {
      await redis.close();
    }
  });

  it.each(['object', 'function'] as const)(
    'follows MOVED to an announced address to the mapped node, never a random one, and keeps mapped ids (natMap: %s)',
    async (map) => {
      const redis = mappedService(map);
      try {
        const keys = Array.from({ length: 20 }, (_, i) => `{nat-moved-${map}}:${i}`);
        const slot = keySlot(keys[0]!);
        await Promise.all(keys.map((key) => redis.set(key, 'before')));
        // Every master connected, so that a command sent to a random node would find one.
        for (const node of await redis.masters()) await node.command(['PING']);
        const topology = await cluster.topology();
        const source = ownerOfSlot(topology, slot)!;
        const target = topology.find((node) => node.role === 'master' && node.id !== source.id)!;
        const other = topology.find(
          (node) => node.role === 'master' && node.id !== source.id && node.id !== target.id,
        )!;
        await migrateSlot(cluster, slot, target.address, { pauseMs: 0 });

        // The client's slot table still names the source: each GET gets MOVED to the target's
        // announced address, which only the map makes reachable.
        const { written, clusters } = recordSends();
        // No slot refresh: what ioredis' MOVED handler itself leaves behind is what is checked.
        vi.spyOn(Cluster.prototype, 'refreshSlotsCache').mockImplementation(() => {});
        expect(await Promise.all(keys.map((key) => redis.get(key)))).toEqual(keys.map(() => 'before'));
        // The bounced direct writes went on through ioredis' routing, which opened no connection
        // elsewhere: a MOVED target mapped twice would have (192.0.2.2, by the function map).
        expect(clusters.size).toBe(1);
        for (const ioredisCluster of clusters) {
          const addresses = ioredisCluster
            .nodes('all')
            .map((node) => `${node.options.host}:${node.options.port}`);
          expect(addresses.sort()).toEqual(cluster.nodes.map((node) => `127.0.0.1:${node.port}`).sort());
        }
        const gets = written.filter((entry) => entry.name === 'GET').map((entry) => entry.address);
        expect(gets).toContain(`127.0.0.1:${target.port}`);
        // Unmapped, ioredis found no connection under the announced address and tried random nodes.
        expect(gets).not.toContain(`127.0.0.1:${other.port}`);
        expect(gets.some((address) => address.startsWith(`${ANNOUNCED}:`))).toBe(false);
        // The slot table names the mapped address: per-node ids stay usable.
        const masters = await redis.masters();
        expect(masters.map((node) => node.id).sort()).toEqual(
          cluster.nodes.map((node) => `127.0.0.1:${node.port}`).sort(),
        );
        for (const node of masters) await node.command(['PING']);
        await redis.set(keys[0]!, 'after');
        expect(await redis.get(keys[0]!)).toBe('after');
      } finally {
        await redis.close();
      }
    },
  );

  it('runs a transaction ASKed to the importing node at its announced address', async () => {
    const redis = mappedService();
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
    } finally {
      for (const node of topology.filter((entry) => entry.role === 'master'))
        await setslot(node, 'NODE', target.id);
      await redis.close();
    }
  });
});
