import type { Socket } from 'node:net';
import {
  migrateSlot,
  type RedisClusterHandle,
  slotOwner,
  startRedisCluster,
} from '@redis-service/conformance/harness';
import { keySlot, RedisClosedError } from '@redis-service/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIoredisClusterDriverFromNodes, type IoredisClusterDriver } from '../src/index.js';

// A cluster of its own (no replicas: nothing here fails over), so that pausing a node cannot
// disturb the conformance suites.
let cluster: RedisClusterHandle;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

type RecordedSocket = Socket & {
  _write(chunk: unknown, encoding: BufferEncoding, cb: (error?: Error | null) => void): void;
  _writev(chunks: unknown[], cb: (error?: Error | null) => void): void;
};

/** A ready driver whose master sockets record each flush to the kernel: how many commands it carried. */
async function recordedDriver(options: { coalesce?: boolean } = {}) {
  const driver: IoredisClusterDriver = createIoredisClusterDriverFromNodes({
    nodes: cluster.urls,
    ...options,
  });
  // Every master connected first: ioredis connects to a node on its first command.
  for (const master of await driver.masters()) await driver.send(['PING'], { node: master });
  const flushes = new Map<string, number[]>();
  for (const node of driver.cluster.nodes('master') as Redis[]) {
    const name = `${node.options.host}:${node.options.port}`;
    const list: number[] = [];
    flushes.set(name, list);
    const socket = node.stream as RecordedSocket;
    const write = socket._write.bind(socket);
    const writev = socket._writev.bind(socket);
    socket._write = (chunk, encoding, cb) => {
      list.push(1);
      write(chunk, encoding, cb);
    };
    socket._writev = (chunks, cb) => {
      list.push(chunks.length);
      writev(chunks, cb);
    };
  }
  return { driver, flushes };
}

/** Keys spread over the masters: 60 keys land on all three of them. */
const KEYS = Array.from({ length: 60 }, (_, i) => `coalesce:${i}`);

function total(flushes: Map<string, number[]>): { writes: number; commands: number } {
  let writes = 0;
  let commands = 0;
  for (const list of flushes.values()) {
    writes += list.length;
    for (const count of list) commands += count;
  }
  return { writes, commands };
}

describe("commands written straight to their slot's master", () => {
  it('follow ASK while their slot migrates and MOVED after, with a slot table that has not caught up', async () => {
    const { driver } = await recordedDriver();
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `{migrating}:${i}`);
      const slot = keySlot(keys[0]!);
      await Promise.all(keys.map((key, i) => driver.send(['SET', key, `v${i}`])));
      const source = await slotOwner(cluster, slot);
      const target = (await cluster.topology()).find(
        (node) => node.role === 'master' && node.address !== source.address,
      )!;
      const halfway: Promise<unknown>[] = [];
      await migrateSlot(cluster, slot, target.address, {
        keysPerStep: 10,
        pauseMs: 0,
        // Keys on both sides of the migration: the moved ones answer ASK on the source.
        onStep: () => {
          halfway.push(Promise.all(keys.map((key) => driver.send(['GET', key]))));
        },
      });
      for (const replies of await Promise.all(halfway)) {
        expect(replies).toEqual(keys.map((_, i) => `v${i}`));
      }
      // The driver's slot table still names the source: MOVED, followed.
      expect(await Promise.all(keys.map((key) => driver.send(['GET', key])))).toEqual(
        keys.map((_, i) => `v${i}`),
      );
      await driver.send(['SET', keys[0]!, 'after']);
      expect(await driver.send(['GET', keys[0]!])).toBe('after');
    } finally {
      await driver.close();
    }
  });
});

describe("ioredis' slot table after a MOVED", () => {
  it("changes the moved slot only, not the rest of its old master's range", async () => {
    const { driver } = await recordedDriver();
    try {
      const key = '{range}:moved';
      const slot = keySlot(key);
      await driver.send(['SET', key, 'v']);
      const source = await slotOwner(cluster, slot);
      const target = (await cluster.topology()).find(
        (node) => node.role === 'master' && node.address !== source.address,
      )!;
      // A neighbour in the same CLUSTER SLOTS range: ioredis gave the range one shared array.
      const [first, last] = source.slots.find(([a, b]) => slot >= a && slot <= b)!;
      const neighbour = slot > first ? first : last;
      await migrateSlot(cluster, slot, target.address, { pauseMs: 0 });
      // No slot refresh: what the MOVED handler itself left in the table is what is read.
      const refresh = vi.spyOn(driver.cluster, 'refreshSlotsCache').mockImplementation(() => {});
      expect(await driver.send(['GET', key])).toBe('v'); // MOVED, followed
      expect(refresh).toHaveBeenCalled();
      expect(driver.cluster.slots[neighbour]?.[0]).toBe(source.address);
      expect(driver.cluster.slots[slot]?.[0]).toBe(target.address);
      expect(await driver.masters()).toHaveLength(3);
    } finally {
      await driver.close();
    }
  });
});

describe('per-node write coalescing on a cluster', () => {
  it('sends the first command alone, then each node its share of the tick as one write, each command with its own reply', async () => {
    const { driver, flushes } = await recordedDriver();
    try {
      await Promise.all(KEYS.map((key, i) => driver.send(['SET', key, `v${i}`])));
      const afterSets = total(flushes);
      expect(afterSets.commands).toBe(KEYS.length);
      // One write alone, then at most one write per master: never one per command.
      expect(afterSets.writes).toBeLessThanOrEqual(1 + flushes.size);
      const replies = await Promise.all(KEYS.map((key) => driver.send(['GET', key], { slot: keySlot(key) })));
      expect(replies).toEqual(KEYS.map((_, i) => `v${i}`));
    } finally {
      await driver.close();
    }
  });

  it('keeps one write per command when coalescing is off', async () => {
    const { driver, flushes } = await recordedDriver({ coalesce: false });
    try {
      await Promise.all(KEYS.map((key) => driver.send(['GET', key])));
      expect(total(flushes)).toEqual({ writes: KEYS.length, commands: KEYS.length });
    } finally {
      await driver.close();
    }
  });

  it('keeps the order of one slot: writes of the same tick to one key apply in the order they were sent', async () => {
    const { driver } = await recordedDriver();
    try {
      const key = 'coalesce:order';
      await driver.send(['DEL', key]);
      const sent = Array.from({ length: 200 }, (_, i) => driver.send(['RPUSH', key, String(i)]));
      expect(await Promise.all(sent)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await driver.send(['LRANGE', key, '0', '-1'])).toEqual(
        Array.from({ length: 200 }, (_, i) => String(i)),
      );
    } finally {
      await driver.close();
    }
  });

  it('close() ends a command in flight to a hung node with RedisClosedError', async () => {
    // Node timeouts far beyond the test's own: only close() can end the command.
    const driver = createIoredisClusterDriverFromNodes({
      nodes: cluster.urls,
      commandTimeoutMs: 120_000,
      connectTimeoutMs: 120_000,
    });
    const node = cluster.nodes[0]!;
    try {
      await driver.send(['PING']);
      const owned = KEYS.find((key) => {
        const owner = driver.cluster.slots[keySlot(key)]?.[0];
        return owner?.endsWith(`:${node.port}`);
      });
      expect(owned, 'a key on the paused node').toBeDefined();
      process.kill(node.pid!, 'SIGSTOP');
      const inFlight = driver.send(['GET', owned!]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await driver.close();
      await expect(inFlight).rejects.toBeInstanceOf(RedisClosedError);
    } finally {
      process.kill(node.pid!, 'SIGCONT');
      await driver.close();
    }
  }, 30_000);
});
