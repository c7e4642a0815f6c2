import { RedisValidationError } from '../errors/redis-error.js';
import { DEFAULT_FAILURE_POLICY, isRedisFailurePolicy } from '../policy/failure-policy.js';
import type { RedisServiceOptions, ResolvedServiceOptions } from './options.js';

/** Default ceiling of commands in flight per endpoint. */
export const DEFAULT_MAX_INFLIGHT = 64;
/** Default time a command may wait for its reply. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;
/** Default ceiling of dedicated connections (blocking commands, WATCH) per service. */
export const DEFAULT_MAX_DEDICATED_CONNECTIONS = 8;

/** Checks the options and fills in defaults; bad options throw `RedisValidationError` at construction. */
export function resolveServiceOptions(
  options: RedisServiceOptions,
  driverName: string,
): ResolvedServiceOptions {
  const keyPrefix = options.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string') throw new RedisValidationError('keyPrefix must be a string');
  const maxInflight = options.maxInflight ?? DEFAULT_MAX_INFLIGHT;
  if (!Number.isInteger(maxInflight) || maxInflight < 1) {
    throw new RedisValidationError(`maxInflight must be a positive integer, got ${String(maxInflight)}`);
  }
  const commandTimeoutMs = timeoutOption(
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    'commandTimeoutMs',
  );
  const queueTimeoutMs = timeoutOption(options.queueTimeoutMs ?? commandTimeoutMs, 'queueTimeoutMs');
  const maxDedicatedConnections = options.maxDedicatedConnections ?? DEFAULT_MAX_DEDICATED_CONNECTIONS;
  if (!Number.isInteger(maxDedicatedConnections) || maxDedicatedConnections < 1) {
    throw new RedisValidationError(
      `maxDedicatedConnections must be a positive integer, got ${String(maxDedicatedConnections)}`,
    );
  }
  const healthCheckTimeoutMs = timeoutOption(
    options.healthCheckTimeoutMs ?? commandTimeoutMs,
    'healthCheckTimeoutMs',
  );
  const failurePolicy = options.failurePolicy ?? DEFAULT_FAILURE_POLICY;
  if (!isRedisFailurePolicy(failurePolicy)) {
    throw new RedisValidationError(
      `failurePolicy must be 'fail-open' or 'fail-closed', got ${String(failurePolicy)}`,
    );
  }
  return {
    keyPrefix,
    maxInflight,
    commandTimeoutMs,
    maxDedicatedConnections,
    healthCheckTimeoutMs,
    queueTimeoutMs,
    endpointId: options.endpointId ?? driverName,
    failurePolicy,
  };
}

function timeoutOption(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RedisValidationError(`${what} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}
