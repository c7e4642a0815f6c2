import type { RedisDriver } from '@redis-service/core';

/**
 * A driver that is `driver` except for `overrides`: the base of faults that change a member or
 * two. Every other member, including ones this kit version does not know of, passes through,
 * bound to the real driver (class instances keep their private fields working).
 */
export function forwardDriver(driver: RedisDriver, overrides: Partial<RedisDriver> = {}): RedisDriver {
  return new Proxy(driver, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof RedisDriver];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
