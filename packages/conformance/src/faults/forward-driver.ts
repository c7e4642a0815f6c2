import type { RedisDriver } from '@redis-service/core';

/** A driver that passes every call to `driver`: the base of faults that override a member or two. */
export function forwardDriver(driver: RedisDriver): RedisDriver {
  return {
    name: driver.name,
    capabilities: driver.capabilities,
    send: (command, options) => driver.send(command, options),
    batch: (commands, options) => driver.batch(commands, options),
    evalScript: (script, keys, args, options) => driver.evalScript(script, keys, args, options),
    close: () => driver.close(),
    ...(driver.subscribe ? { subscribe: driver.subscribe.bind(driver) } : {}),
  };
}
