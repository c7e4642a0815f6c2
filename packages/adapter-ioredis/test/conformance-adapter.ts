import type { AdapterUnderTest } from '@redis-service/conformance';
import { createIoredisDriverFromUrl } from '../src/index.js';

/** The ioredis adapter as the conformance kit sees it (also used by `pnpm conformance` and `pnpm bench`). */
export const ioredisAdapter: AdapterUnderTest = {
  name: 'ioredis',
  // Worker processes load this TypeScript file through tsx, resolving workspace packages to src.
  worker: {
    module: import.meta.url,
    export: 'ioredisAdapter',
    execArgv: ['--import', 'tsx', '--conditions=@redis-service/source'],
  },
  transport: 'resp',
  createDriver: ({ url, commandTimeoutMs }) =>
    createIoredisDriverFromUrl({ url, ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }) }),
};
