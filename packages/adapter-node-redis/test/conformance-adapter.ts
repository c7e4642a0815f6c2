import type { AdapterUnderTest } from '@redis-service/conformance';
import { createNodeRedisDriverFromUrl, createNodeRedisSentinelDriver } from '../src/index.js';

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
  topologies: ['single', 'sentinel'],
  createDriver: ({ url, commandTimeoutMs, sentinel }) => {
    const timeout = commandTimeoutMs === undefined ? {} : { commandTimeoutMs };
    return sentinel
      ? createNodeRedisSentinelDriver({
          sentinels: sentinel.sentinels,
          masterName: sentinel.masterName,
          ...timeout,
        })
      : createNodeRedisDriverFromUrl({ url, ...timeout });
  },
};
