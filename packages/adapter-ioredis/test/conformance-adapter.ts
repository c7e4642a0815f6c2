import type { AdapterUnderTest } from '@redis-service/conformance';
import { createIoredisDriverFromUrl, createIoredisSentinelDriver } from '../src/index.js';

const SENTINEL_CONNECT_TIMEOUT_MS = 10_000;

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
  createDriver: ({ url, commandTimeoutMs, sentinel }) => {
    const timeout = commandTimeoutMs === undefined ? {} : { commandTimeoutMs };
    return sentinel
      ? createIoredisSentinelDriver({
          sentinels: sentinel.sentinels,
          masterName: sentinel.masterName,
          ...sentinel.credentials,
          // Finding the primary takes a few connects in a row (sentinel, then data node); on a
          // machine shared with 30 other processes one can exceed the 2 s default, which the
          // failover cases would misread as a fault.
          connectTimeoutMs: SENTINEL_CONNECT_TIMEOUT_MS,
          ...timeout,
        })
      : createIoredisDriverFromUrl({ url, ...timeout });
  },
};

/**
 * The same adapter on the sentinel topology: the kit starts a primary, a replica and three
 * sentinels, and every request carries `sentinel` (`createDriver` above builds a sentinel driver
 * for those). Worker processes load `ioredisAdapter`, which does the same with the `sentinel` they are given.
 */
export const ioredisSentinelAdapter: AdapterUnderTest = {
  ...ioredisAdapter,
  name: 'ioredis-sentinel',
  topology: 'sentinel',
};
