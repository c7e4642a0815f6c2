import type { AdapterUnderTest } from '@redis-service/conformance';
import { createNodeRedisDriverFromUrl, createNodeRedisSentinelDriver } from '../src/index.js';

const SENTINEL_CONNECT_TIMEOUT_MS = 10_000;

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
  createDriver: ({ url, commandTimeoutMs, sentinel }) => {
    const timeout = commandTimeoutMs === undefined ? {} : { commandTimeoutMs };
    return sentinel
      ? createNodeRedisSentinelDriver({
          sentinels: sentinel.sentinels,
          masterName: sentinel.masterName,
          ...sentinel.credentials,
          // Finding the primary takes a few connects in a row (sentinel, then data node); on a
          // machine shared with 30 other processes one can exceed the 2 s default, which the
          // failover cases would misread as a fault.
          connectTimeoutMs: SENTINEL_CONNECT_TIMEOUT_MS,
          ...timeout,
        })
      : createNodeRedisDriverFromUrl({ url, ...timeout });
  },
};

/**
 * The same adapter on the sentinel topology: the kit starts a primary, a replica and three
 * sentinels, and every request carries `sentinel` (`createDriver` above builds a sentinel driver
 * for those). Worker processes load `nodeRedisAdapter`, which does the same with the `sentinel` they are given.
 */
export const nodeRedisSentinelAdapter: AdapterUnderTest = {
  ...nodeRedisAdapter,
  name: 'node-redis-sentinel',
  topology: 'sentinel',
};
