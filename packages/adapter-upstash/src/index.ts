/**
 * Upstash (REST) under `@redis-service/core`: a driver for the port that runs on edge runtimes,
 * over its own `fetch` transport or over an @upstash/redis client you built.
 *
 * @packageDocumentation
 */

export { UpstashClientTransport } from './client-transport.js';
export {
  createUpstashDriverFromUrl,
  createUpstashService,
  type UpstashDriverFromUrlOptions,
  type UpstashServiceOptions,
} from './create-upstash-service.js';
export { FetchTransport, type FetchTransportOptions } from './fetch-transport.js';
export { mapUpstashClientError, type UpstashClientErrorContext } from './map-error.js';
export type { RestTransport } from './rest-transport.js';
export {
  SSE_MAX_RECONNECT_DELAY_MS,
  UpstashSseSubscriber,
  type UpstashSseSubscriberOptions,
} from './sse-subscriber.js';
export {
  createUpstashDriver,
  UPSTASH_CAPABILITIES,
  UPSTASH_CLIENT_CAPABILITIES,
  UpstashDriver,
  type UpstashDriverOptions,
} from './upstash-driver.js';
