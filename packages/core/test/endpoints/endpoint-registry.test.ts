import { EndpointRegistry, type EndpointSpec, RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

const sessions: EndpointSpec = { id: 'sessions', url: 'redis://:pw@a:6379/0', kind: 'ioredis' };
const cache: EndpointSpec = { id: 'cache', url: 'redis://b:6379', kind: 'node-redis', maxInflight: 8 };

describe('EndpointRegistry', () => {
  it('registers specs and looks them up by id', () => {
    const registry = new EndpointRegistry([sessions]).register(cache);
    expect(registry.get('cache')).toBe(cache);
    expect(registry.has('sessions')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.ids()).toEqual(['sessions', 'cache']);
  });

  it('names a cluster endpoint by its seeds, and refuses an empty seed list', () => {
    const orders: EndpointSpec = {
      id: 'orders',
      url: 'redis://c1:7000',
      nodes: ['redis://c1:7000', 'redis://c2:7000'],
      kind: 'ioredis-cluster',
    };
    expect(new EndpointRegistry([orders]).get('orders').nodes).toEqual(orders.nodes);
    const registry = new EndpointRegistry();
    for (const nodes of [[], [''], 'redis://c1:7000' as unknown as string[]]) {
      expect(() => registry.register({ ...orders, nodes })).toThrow(RedisValidationError);
    }
    expect(registry.ids()).toEqual([]);
  });

  it('refuses a duplicate id', () => {
    const registry = new EndpointRegistry([sessions]);
    expect(() => registry.register({ ...cache, id: 'sessions' })).toThrow(RedisValidationError);
    expect(() => new EndpointRegistry([sessions, sessions])).toThrow(RedisValidationError);
  });

  it('refuses an empty or missing id, url or kind', () => {
    const registry = new EndpointRegistry();
    for (const bad of [
      { ...sessions, id: '' },
      { ...sessions, url: '' },
      { ...sessions, kind: '' },
    ]) {
      expect(() => registry.register(bad)).toThrow(RedisValidationError);
    }
    expect(() => registry.register(undefined as unknown as EndpointSpec)).toThrow(RedisValidationError);
    expect(registry.ids()).toEqual([]);
  });

  it('throws RedisValidationError for an unknown id, listing the known ones but no URL', () => {
    const registry = new EndpointRegistry([sessions]);
    const error = (() => {
      try {
        registry.get('missing');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RedisValidationError);
    expect((error as Error).message).toContain('sessions');
    expect((error as Error).message).not.toContain('pw');
  });
});
