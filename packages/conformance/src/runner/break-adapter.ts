import type { AdapterUnderTest } from '../case.js';
import type { BrokenDriver } from '../faults/broken-drivers.js';
import { createDriverFor } from './created-driver.js';

const faults = new WeakMap<AdapterUnderTest, BrokenDriver>();

/** The adapter with one fault injected into every driver it creates. */
export function breakAdapter(adapter: AdapterUnderTest, broken: BrokenDriver): AdapterUnderTest {
  const brokenAdapter: AdapterUnderTest = {
    ...adapter,
    name: `${adapter.name} (broken: ${broken.fault})`,
    async createDriver(request) {
      const { driver, teardown } = await createDriverFor(adapter, request);
      return { driver: broken.wrap(driver, request), teardown };
    },
  };
  faults.set(brokenAdapter, broken);
  return brokenAdapter;
}

/**
 * The fault `breakAdapter` injected into `adapter`, if any: a child process that rebuilds the
 * adapter from its `worker` entry injects the same fault (looked up by `fault` among the kit's
 * broken drivers).
 */
export function injectedFault(adapter: AdapterUnderTest): BrokenDriver | undefined {
  return faults.get(adapter);
}
