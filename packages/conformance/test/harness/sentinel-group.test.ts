import {
  adminCommand,
  adminText,
  infoField,
  replyText,
  startSentinelGroup,
} from '@redis-service/conformance/harness';
import { describe, expect, it } from 'vitest';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function role(port: number): Promise<string | undefined> {
  return infoField(await adminText(port, ['INFO', 'replication']), 'role');
}

describe('startSentinelGroup', () => {
  it('starts a primary, a replica in sync and three sentinels that agree; fails over, survives kill -9, stops every pid', async () => {
    const group = await startSentinelGroup({ masterName: 'kit-test' });
    const pids = [...group.pids];
    try {
      expect(group.sentinels).toHaveLength(3);
      expect(pids).toHaveLength(5);
      expect(await role(group.primaryPort)).toBe('master');
      for (const { port } of group.sentinels) {
        const named = await adminCommand(port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'kit-test']);
        expect(named.type === 'array' ? named.items.map(replyText) : named).toEqual([
          '127.0.0.1',
          String(group.primaryPort),
        ]);
      }

      const first = group.primaryPort;
      const failover = await group.failover();
      expect(failover.from).toBe(first);
      expect(failover.to).not.toBe(first);
      expect(group.primaryPort).toBe(failover.to);
      expect(await role(failover.to)).toBe('master');
      expect(await role(first)).toBe('slave');
      await group.restore();

      const killed = await group.killPrimary();
      expect(killed.from).toBe(failover.to);
      expect(killed.to).toBe(first);
      expect(group.pids).toHaveLength(4);
      await group.restore();
      expect(group.pids).toHaveLength(5);
      expect(await role(killed.from)).toBe('slave');
      pids.push(...group.pids);
    } finally {
      await group.stop();
    }
    expect([...new Set(pids)].filter(alive)).toEqual([]);
  }, 120_000);
});
