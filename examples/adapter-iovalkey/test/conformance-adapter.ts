import type { AdapterUnderTest } from '@redis-service/conformance';
import { createIovalkeyDriver } from '../src/iovalkey-driver.js';

/** The iovalkey example adapter as the conformance kit sees it. */
export const iovalkeyAdapter: AdapterUnderTest = {
  name: 'iovalkey',
  worker: {
    module: import.meta.url,
    export: 'iovalkeyAdapter',
    execArgv: ['--import', 'tsx', '--conditions=@redis-service/source'],
  },
  transport: 'resp',
  createDriver: ({ url, commandTimeoutMs }) => createIovalkeyDriver(url, commandTimeoutMs),
};
