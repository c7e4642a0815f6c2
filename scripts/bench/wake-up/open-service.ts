/** The service a wake-up process (the owner or a worker) opens over one adapter. */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { createNodeRedisService } from '@redis-service/adapter-node-redis';
import { createUpstashService } from '@redis-service/adapter-upstash';
import type { RedisService } from '@redis-service/core';
import type { WakeUpAdapter } from './protocol.js';

/** Where a wake-up process connects: a redis:// URL, or the REST bridge's URL and token. */
export interface WakeUpEndpoint {
  readonly url: string;
  readonly token?: string;
}

/** A service over `adapter` with the scenario's prefix, enough permits for every caller, and a generous timeout. */
export function openWakeUpService(
  adapter: WakeUpAdapter,
  endpoint: WakeUpEndpoint,
  prefix: string,
): RedisService {
  const options = { keyPrefix: prefix, maxInflight: 512, commandTimeoutMs: 10_000 };
  switch (adapter) {
    case 'ioredis':
      return createIoredisService({ url: endpoint.url, ...options });
    case 'node-redis':
      return createNodeRedisService({ url: endpoint.url, ...options });
    case 'upstash':
      return createUpstashService({ url: endpoint.url, token: endpoint.token ?? '', ...options });
  }
}
