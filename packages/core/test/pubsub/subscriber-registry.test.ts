import { type DriverMessage, RedisConnectionError, SubscriberRegistry } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

function registryWith(fail: (call: string) => boolean = () => false) {
  const calls: string[] = [];
  const registry = new SubscriberRegistry({
    subscribe: async (kind, name) => {
      const call = `${kind === 'channel' ? 'SUBSCRIBE' : 'PSUBSCRIBE'} ${name}`;
      calls.push(call);
      if (fail(call)) throw new RedisConnectionError('down');
    },
    unsubscribe: async (kind, name) => {
      calls.push(`${kind === 'channel' ? 'UNSUBSCRIBE' : 'PUNSUBSCRIBE'} ${name}`);
    },
  });
  return { registry, calls };
}

describe('SubscriberRegistry', () => {
  it('routes channel messages by channel and pattern messages by pattern', async () => {
    const { registry } = registryWith();
    const got: DriverMessage[] = [];
    await registry.add({ channels: ['a'], patterns: ['a*'] }, (message) => got.push(message));
    registry.deliver({ channel: 'a', message: '1' });
    registry.deliver({ channel: 'ab', pattern: 'a*', message: '2' });
    registry.deliver({ channel: 'b', message: 'not mine' });
    expect(got).toEqual([
      { channel: 'a', message: '1' },
      { channel: 'ab', pattern: 'a*', message: '2' },
    ]);
  });

  it('releases the names already subscribed when one fails, and a later add tries again', async () => {
    let down = true;
    const { registry, calls } = registryWith((call) => down && call === 'SUBSCRIBE b');
    await expect(registry.add({ channels: ['a', 'b'] }, () => {})).rejects.toBeInstanceOf(
      RedisConnectionError,
    );
    expect(registry.size('channel')).toBe(0);
    expect(calls).toEqual(['SUBSCRIBE a', 'SUBSCRIBE b', 'UNSUBSCRIBE a']);
    down = false;
    await registry.add({ channels: ['b'] }, () => {});
    expect(calls.at(-1)).toBe('SUBSCRIBE b');
  });

  it('keeps the server in step through a quick unsubscribe and subscribe of the same name', async () => {
    const { registry, calls } = registryWith();
    const first = await registry.add({ channels: ['a'] }, () => {});
    const leaving = first.unsubscribe();
    const second = registry.add({ channels: ['a'] }, () => {});
    await Promise.all([leaving, second]);
    // The name never had zero listeners once the calls ran: the server subscription simply stays.
    expect(calls).toEqual(['SUBSCRIBE a']);
    expect(registry.size('channel')).toBe(1);
    const third = await registry.add({ channels: ['a'] }, () => {});
    await (await second).unsubscribe();
    await third.unsubscribe();
    const fourth = await registry.add({ channels: ['a'] }, () => {});
    expect(calls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a', 'SUBSCRIBE a']);
    await fourth.unsubscribe();
  });

  it('unsubscribe is idempotent and clear() stops all delivery', async () => {
    const { registry, calls } = registryWith();
    const got: string[] = [];
    const sub = await registry.add({ channels: ['a', 'a'] }, (message) => got.push(message.message));
    await Promise.all([sub.unsubscribe(), sub.unsubscribe()]);
    expect(calls).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
    await registry.add({ channels: ['b'] }, (message) => got.push(message.message));
    registry.clear();
    registry.deliver({ channel: 'b', message: 'late' });
    expect(got).toEqual([]);
  });
});

describe('SubscriberRegistry.resubscribe', () => {
  it('subscribes every name with listeners again, once, after each replacement of the connection', async () => {
    const { registry, calls } = registryWith();
    const leaving = await registry.add({ channels: ['a', 'b'], patterns: ['p*'] }, () => {});
    await registry.add({ channels: ['a'] }, () => {});
    await leaving.unsubscribe();
    calls.length = 0;
    await registry.resubscribe();
    expect(calls, 'nothing is missing before a replacement').toEqual([]);
    registry.connectionReplaced();
    await registry.resubscribe();
    expect(calls.sort()).toEqual(['SUBSCRIBE a']);
    await registry.add({ patterns: ['q*'] }, () => {});
    calls.length = 0;
    registry.connectionReplaced();
    await registry.resubscribe();
    expect(calls.sort()).toEqual(['PSUBSCRIBE q*', 'SUBSCRIBE a']);
  });

  it('reports a name that could not be subscribed again, and a later resubscribe tries it again', async () => {
    let down = true;
    const { registry, calls } = registryWith((call) => down && call === 'SUBSCRIBE b');
    down = false;
    await registry.add({ channels: ['a', 'b'] }, () => {});
    down = true;
    calls.length = 0;
    registry.connectionReplaced();
    await expect(registry.resubscribe()).rejects.toBeInstanceOf(RedisConnectionError);
    down = false;
    calls.length = 0;
    await registry.resubscribe();
    expect(calls).toEqual(['SUBSCRIBE b']);
  });
});
