import { createNodeRedisDriverFromUrl } from '@redis-service/adapter-node-redis';
import { createUpstashDriver } from '@redis-service/adapter-upstash';
import type { AdapterUnderTest } from '@redis-service/conformance';
import { startUpstashBridge } from '@redis-service/conformance/bridge';
import { Redis } from '@upstash/redis';

// The unit tier's fake REST server accepts any token; the bridge is given this one.
const TOKEN = 'outside-check-token';

/** The published node-redis adapter, over whichever `redis` this project installed. */
export const nodeRedisAdapter: AdapterUnderTest = {
  name: 'node-redis (published, lowest redis)',
  transport: 'resp',
  worker: { module: import.meta.url, export: 'nodeRedisAdapter' },
  createDriver: ({ url, commandTimeoutMs }) =>
    createNodeRedisDriverFromUrl({ url, ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }) }),
};

/** The published Upstash adapter over a user's @upstash/redis client (the optional peer). */
export const upstashClientAdapter: AdapterUnderTest = {
  name: 'upstash (published, lowest @upstash/redis)',
  transport: 'upstash-rest',
  worker: { module: import.meta.url, export: 'upstashClientAdapter' },
  createDriver: ({ url, commandTimeoutMs }) =>
    createUpstashDriver(
      new Redis({
        url,
        token: TOKEN,
        automaticDeserialization: false,
        enableAutoPipelining: false,
        enableTelemetry: false,
        latencyLogging: false,
        retry: { retries: 0 },
      }),
      commandTimeoutMs === undefined ? {} : { commandTimeoutMs },
    ),
  exposeServer: async (redisUrl) => {
    const bridge = await startUpstashBridge({ redisUrl, token: TOKEN });
    return { url: bridge.url, close: () => bridge.close() };
  },
};
