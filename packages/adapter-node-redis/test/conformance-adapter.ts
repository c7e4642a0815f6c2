import type { AdapterUnderTest } from '@redis-service/conformance';
import { createNodeRedisDriverFromUrl } from '../src/index.js';

/** The node-redis adapter as the conformance kit sees it (also used by `pnpm conformance` and `pnpm bench`). */
export const nodeRedisAdapter: AdapterUnderTest = {
  name: 'node-redis',
  // Worker processes load this TypeScript file through tsx, resolving workspace packages to src.
  worker: {
    module: import.meta.url,
    export: 'nodeRedisAdapter',
    execArgv: ['--import', 'tsx', '--conditions=@redis-service/source'],
  },
  transport: 'resp',
  createDriver: ({ url, commandTimeoutMs }) =>
    createNodeRedisDriverFromUrl({ url, ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }) }),
};
