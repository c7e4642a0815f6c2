import type { AdapterUnderTest } from '@redis-service/conformance';
import { startUpstashBridge } from '@redis-service/conformance/bridge';
import { Redis } from '@upstash/redis';
import { createUpstashDriver } from '../src/index.js';

// The unit tier's fake REST server accepts any token; the bridge is given this one.
const TOKEN = 'conformance-token';

/**
 * The Upstash adapter over a user's official @upstash/redis client (`createUpstashDriver(client)`),
 * as the conformance kit sees it. The client is built the way the driver's docs ask: no command-level
 * deserialization, auto-pipelining or telemetry, and no retries (a retried request may run twice).
 * It declares `exactIntegers: false` (the client's `JSON.parse` rounds integers beyond 2^53), so
 * the cases that need them exact are skipped with that reason.
 */
export const upstashClientAdapter: AdapterUnderTest = {
  name: 'upstash (@upstash/redis client)',
  // Worker processes load this TypeScript file through tsx, resolving workspace packages to src.
  worker: {
    module: import.meta.url,
    export: 'upstashClientAdapter',
    execArgv: ['--import', 'tsx', '--conditions=@redis-service/source'],
  },
  transport: 'upstash-rest',
  createDriver: ({ url, commandTimeoutMs }) => {
    const client = new Redis({
      url,
      token: TOKEN,
      automaticDeserialization: false,
      enableAutoPipelining: false,
      enableTelemetry: false,
      latencyLogging: false,
      retry: { retries: 0 },
    });
    return createUpstashDriver(client, commandTimeoutMs === undefined ? {} : { commandTimeoutMs });
  },
  exposeServer: async (redisUrl) => {
    const bridge = await startUpstashBridge({ redisUrl, token: TOKEN });
    return { url: bridge.url, close: () => bridge.close() };
  },
};
