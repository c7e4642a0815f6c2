import type { AdapterUnderTest } from '@redis-service/conformance';
import { startUpstashBridge } from '@redis-service/conformance/bridge';
import { createUpstashDriverFromUrl } from '../src/index.js';

// The unit tier's fake REST server accepts any token; the bridge is given this one.
const TOKEN = 'conformance-token';

/**
 * The Upstash adapter as the conformance kit sees it: the integration tier reaches the real
 * redis-server through the kit's local Upstash-compatible REST bridge.
 */
export const upstashAdapter: AdapterUnderTest = {
  name: 'upstash',
  // Worker processes load this TypeScript file through tsx, resolving workspace packages to src.
  worker: {
    module: import.meta.url,
    export: 'upstashAdapter',
    execArgv: ['--import', 'tsx', '--conditions=@redis-service/source'],
  },
  transport: 'upstash-rest',
  createDriver: ({ url, commandTimeoutMs }) =>
    createUpstashDriverFromUrl({
      url,
      token: TOKEN,
      ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
    }),
  exposeServer: async (redisUrl) => {
    const bridge = await startUpstashBridge({ redisUrl, token: TOKEN });
    return { url: bridge.url, close: () => bridge.close() };
  },
};
