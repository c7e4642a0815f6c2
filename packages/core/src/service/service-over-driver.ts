import type { RedisDriver } from '../port/driver.js';
import type { RedisServiceOptions } from './options.js';
import { RedisService } from './redis-service.js';

/**
 * The service options an adapter factory accepts: `RedisServiceOptions`, plus the `id` of an
 * `EndpointSpec`, which names the endpoint when `endpointId` is not given.
 */
export interface ServiceFactoryOptions extends RedisServiceOptions {
  /** The endpoint id, when the options are an `EndpointSpec`. */
  readonly id?: string;
}

/**
 * Builds the `RedisService` an adapter factory returns: the service options taken from `options`
 * (an `EndpointSpec` fits), the endpoint named by `endpointId`, else `id`, else the driver. If the
 * options are refused, the driver is closed before the error is thrown, so nothing leaks.
 */
export function serviceOverDriver(driver: RedisDriver, options: ServiceFactoryOptions): RedisService {
  const { id, endpointId, ...rest } = options;
  const serviceOptions: RedisServiceOptions = {
    ...pickServiceOptions(rest),
    endpointId: endpointId ?? id ?? driver.name,
  };
  try {
    return new RedisService(driver, serviceOptions);
  } catch (error) {
    void driver.close();
    throw error;
  }
}

// Only the service's own options travel on: adapter settings (urls, tokens, client options) stay behind.
const SERVICE_OPTION_KEYS = [
  'keyPrefix',
  'maxInflight',
  'commandTimeoutMs',
  'maxDedicatedConnections',
  'healthCheckTimeoutMs',
  'queueTimeoutMs',
  'failurePolicy',
] as const satisfies readonly (keyof RedisServiceOptions)[];

function pickServiceOptions(options: RedisServiceOptions): RedisServiceOptions {
  const picked: Record<string, unknown> = {};
  for (const key of SERVICE_OPTION_KEYS) if (options[key] !== undefined) picked[key] = options[key];
  return picked as RedisServiceOptions;
}
