import { createRespDriver } from '../../src/cleanup/resp-driver.js';
import type { AdapterUnderTest } from '../../src/index.js';

/** The kit's own minimal RESP driver as an adapter: enough for cases that need only commands and pipelines. */
export const kitRespAdapter: AdapterUnderTest = {
  name: 'kit-resp',
  transport: 'resp',
  createDriver: ({ url }) => createRespDriver(url),
};
