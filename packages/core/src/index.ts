export { decodeJson, encodeJson } from './codec/json.js';
export type { Schema, SchemaInput, SchemaOutput } from './codec/schema.js';
export { utf8Decode, utf8Encode } from './codec/utf8.js';
export type { ExpireCondition } from './commands/keys.js';
export { RedisCommands } from './commands/redis-commands.js';
export type { ScoredMember } from './commands/replies.js';
export type { ScoreBound, ZaddOptions, ZrangeByScoreOptions, ZrangeOptions } from './commands/sorted-sets.js';
export type { Entries, SetOptions } from './commands/strings.js';
export type { ExpiryOptions, RedisValue } from './commands/validate.js';
export { EndpointRegistry, type EndpointSpec } from './endpoints/endpoint-registry.js';
export { RedisClients, type RedisClientsOptions, type ServiceFactory } from './endpoints/redis-clients.js';
export {
  RedisAbortedError,
  RedisCapabilityError,
  RedisClosedError,
  RedisConnectionError,
  RedisError,
  type RedisErrorCode,
  type RedisErrorOptions,
  RedisReplyError,
  RedisSerializationError,
  RedisTimeoutError,
  RedisValidationError,
  type ValidationIssue,
} from './errors/redis-error.js';
export { InflightLimiter, type InflightStats, type ReleasePermit } from './limiter/inflight-limiter.js';
export type { Capability, DriverCapabilities } from './port/capabilities.js';
export type {
  BatchOptions,
  DriverMessage,
  DriverSubscription,
  LuaScript,
  RedisDriver,
} from './port/driver.js';
export type { BatchItemResult, RedisArg, RedisCommand, RedisReply, SendOptions } from './port/reply.js';
export { defineScript, runScript } from './port/script.js';
export type { BatchBuilder, BatchResults, BatchSettled } from './service/batch.js';
export type { RedisServiceOptions } from './service/options.js';
export { type RawCommandOptions, RedisService, type ScanOptions } from './service/redis-service.js';
export { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_MAX_INFLIGHT } from './service/resolve-options.js';

export { redactText, redactUrl } from './util/redact.js';
