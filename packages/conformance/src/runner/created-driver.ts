import type { RedisDriver } from '@redis-service/core';
import type { AdapterUnderTest, CreatedDriver, DriverRequest } from '../case.js';

/** Asks the adapter for a driver and returns it with its teardown (default: `driver.close()`). */
export async function createDriverFor(
  adapter: AdapterUnderTest,
  request: DriverRequest,
): Promise<Required<CreatedDriver>> {
  const created = await adapter.createDriver(request);
  if (isCreated(created)) {
    const { driver } = created;
    return { driver, teardown: created.teardown ?? (() => driver.close()) };
  }
  return { driver: created, teardown: () => created.close() };
}

function isCreated(value: RedisDriver | CreatedDriver): value is CreatedDriver {
  return typeof (value as Partial<RedisDriver>).send !== 'function' && 'driver' in value;
}
