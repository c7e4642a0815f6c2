import type { AdapterUnderTest } from '../case.js';
import type { BrokenDriver } from '../faults/broken-drivers.js';
import { createDriverFor } from './created-driver.js';

/** The adapter with one fault injected into every driver it creates. */
export function breakAdapter(adapter: AdapterUnderTest, broken: BrokenDriver): AdapterUnderTest {
  return {
    ...adapter,
    name: `${adapter.name} (broken: ${broken.fault})`,
    async createDriver(request) {
      const { driver, teardown } = await createDriverFor(adapter, request);
      return { driver: broken.wrap(driver), teardown };
    },
  };
}
