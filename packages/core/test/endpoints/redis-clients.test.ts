import {
  EndpointRegistry,
  type EndpointSpec,
  RedisClients,
  RedisClosedError,
  RedisService,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

function setup() {
  const registry = new EndpointRegistry([
    { id: 'sessions', url: 'redis://a', kind: 'fake', keyPrefix: 's:', maxInflight: 4 },
    { id: 'cache', url: 'redis://b', kind: 'fake' },
    { id: 'orphan', url: 'redis://c', kind: 'unknown-kind' },
  ]);
  const drivers: FakeDriver[] = [];
  const specs: EndpointSpec[] = [];
  const factory = (spec: EndpointSpec) => {
    specs.push(spec);
    const driver = new FakeDriver({ name: `fake-${spec.id}` });
    drivers.push(driver);
    return new RedisService(driver, {
      endpointId: spec.id,
      ...(spec.keyPrefix === undefined ? {} : { keyPrefix: spec.keyPrefix }),
      ...(spec.maxInflight === undefined ? {} : { maxInflight: spec.maxInflight }),
    });
  };
  const clients = new RedisClients({ registry, factories: { fake: factory } });
  return { clients, drivers, specs };
}

describe('RedisClients', () => {
  it('creates each service lazily, once per id', async () => {
    const { clients, drivers, specs } = setup();
    expect(drivers).toHaveLength(0);
    const first = clients.get('sessions');
    expect(clients.get('sessions')).toBe(first);
    expect(drivers).toHaveLength(1);
    expect(specs[0]).toMatchObject({ id: 'sessions', keyPrefix: 's:', maxInflight: 4 });
    expect(first.keyPrefix).toBe('s:');
    expect(first.stats.maxInflight).toBe(4);
    const cache = clients.get('cache');
    expect(cache).not.toBe(first);
    expect(clients.open).toEqual(['sessions', 'cache']);
    await first.set('x', '1');
    expect(drivers[0]?.sent).toEqual([['SET', 's:x', '1']]);
  });

  it('throws RedisValidationError for an unknown id or a kind without a factory', () => {
    const { clients, drivers } = setup();
    expect(() => clients.get('missing')).toThrow(RedisValidationError);
    expect(() => clients.get('orphan')).toThrow(RedisValidationError);
    expect(() => clients.get('orphan')).toThrow(/unknown-kind/);
    expect(drivers).toHaveLength(0);
    expect(clients.open).toEqual([]);
  });

  it('does not cache a service whose factory threw', () => {
    const registry = new EndpointRegistry([{ id: 'flaky', url: 'redis://x', kind: 'flaky' }]);
    let calls = 0;
    const clients = new RedisClients({
      registry,
      factories: {
        flaky: () => {
          calls++;
          if (calls === 1) throw new Error('first attempt fails');
          return new RedisService(new FakeDriver());
        },
      },
    });
    expect(() => clients.get('flaky')).toThrow('first attempt fails');
    expect(clients.get('flaky')).toBeInstanceOf(RedisService);
    expect(calls).toBe(2);
  });

  it('closeAll closes every created service once; later get throws RedisClosedError', async () => {
    const { clients, drivers } = setup();
    const sessions = clients.get('sessions');
    clients.get('cache');
    await clients.closeAll();
    expect(drivers.map((driver) => driver.closeCount)).toEqual([1, 1]);
    expect(sessions.closed).toBe(true);
    expect(() => clients.get('sessions')).toThrow(RedisClosedError);
    expect(() => clients.get('never-created')).toThrow(RedisClosedError);
    await clients.closeAll();
    expect(drivers.map((driver) => driver.closeCount)).toEqual([1, 1]);
    expect(clients.open).toEqual([]);
  });

  it('closes every service even when one fails to close, then reports the failures', async () => {
    const registry = new EndpointRegistry([
      { id: 'good', url: 'redis://a', kind: 'fake' },
      { id: 'bad', url: 'redis://b', kind: 'fake' },
    ]);
    const drivers: FakeDriver[] = [];
    const clients = new RedisClients({
      registry,
      factories: {
        fake: (spec) => {
          const driver = new FakeDriver();
          if (spec.id === 'bad') driver.close = () => Promise.reject(new Error('close failed'));
          drivers.push(driver);
          return new RedisService(driver);
        },
      },
    });
    clients.get('bad');
    clients.get('good');
    await expect(clients.closeAll()).rejects.toBeInstanceOf(AggregateError);
    expect(drivers[1]?.closeCount).toBe(1);
  });

  it('closes on Symbol.asyncDispose', async () => {
    const { clients, drivers } = setup();
    {
      await using scoped = clients;
      scoped.get('cache');
    }
    expect(drivers[0]?.closeCount).toBe(1);
    expect(() => clients.get('cache')).toThrow(RedisClosedError);
  });
});
