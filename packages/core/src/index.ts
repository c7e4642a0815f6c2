export type {
  BlockingMultiPopOptions,
  BlockingOptions,
  PoppedElement,
  PoppedElements,
  PoppedMember,
  PoppedMembers,
} from './blocking/blocking-commands.js';
export type { DedicatedPoolStats } from './blocking/dedicated-pool.js';
export type { Compute } from './cache/cache-aside.js';
export type { CachedEntry } from './cache/cache-entry.js';
export { CacheComputeError, CacheWaitTimeoutError, type ComputeErrorInfo } from './cache/cache-errors.js';
export { type CacheKeys, cacheKeys } from './cache/cache-keys.js';
export type { ComputeContext, GetOrComputeOptions } from './cache/get-or-compute-options.js';
export { L1_BUS_CHANNEL } from './cache/l1/bus-coherence.js';
export type { L1Cache, L1Stats } from './cache/l1/l1-cache.js';
export {
  DEFAULT_L1_MAX_BYTES,
  DEFAULT_L1_MAX_ENTRIES,
  DEFAULT_L1_TTL_MS,
  type L1Coherence,
  type L1Options,
} from './cache/l1/l1-options.js';
export { type XFetchInput, xfetchShouldRefresh } from './cache/xfetch.js';
export { commandKeyIndexes } from './cluster/command-keys.js';
export { type KeyInSlot, RedisCrossSlotError } from './cluster/cross-slot-error.js';
export { hashTag, slotName } from './cluster/hash-tag.js';
export { hashTagOf, keySlot, SLOT_COUNT } from './cluster/key-slot.js';
export { type ClusterRedirect, clusterRedirect } from './cluster/redirect.js';
export type { NodeCommandOptions, RedisNode } from './cluster/redis-node.js';
export {
  type CommandRoute,
  commandSlot,
  routeCommand,
  routingSlot,
  type SlotPart,
  sharedSlot,
} from './cluster/slot-route.js';
export { decodeJson, encodeJson } from './codec/json.js';
export type { Schema, SchemaInput, SchemaOutput } from './codec/schema.js';
export { utf8Decode, utf8Encode } from './codec/utf8.js';
export {
  type AclCategory,
  type CommandFlag,
  type CommandInfo,
  commandInfo,
  type KeySpec,
  type KeySpecBeginSearch,
  type KeySpecFindKeys,
  type KeySpecFlag,
} from './command-table/command-info.js';
export { TABLE_REDIS_VERSION } from './command-table/commands.generated.js';
export { type KeyPositionsOptions, keyPositions } from './command-table/key-positions.js';
export type { BitRange } from './commands/bitmaps.js';
export type {
  GeoAddOptions,
  GeoCoordinates,
  GeoMember,
  GeoSearchBy,
  GeoSearchFrom,
  GeoSearchHit,
  GeoSearchOptions,
  GeoUnit,
} from './commands/geo.js';
export type { HrandfieldOptions } from './commands/hashes.js';
export type { CopyOptions, ExpireCondition, ExpireTime, RedisKeyType } from './commands/keys.js';
export type { ListEnd, LposOptions } from './commands/lists.js';
export type { RedisCommands } from './commands/redis-commands.js';
export type { HashField, ScoredMember } from './commands/replies.js';
export type {
  LexBound,
  RangeLimit,
  ScoreBound,
  ZAggregate,
  ZcombineOptions,
} from './commands/sorted-set-args.js';
export type { ZaddOptions, ZrangeByScoreOptions, ZrangeOptions } from './commands/sorted-sets.js';
export type { Entries, GetExOptions, SetOptions } from './commands/strings.js';
export { RedisUnsafeIntegerError } from './commands/unsafe-integer-error.js';
export type { ExpiryOptions, RedisValue } from './commands/validate.js';
export { EndpointRegistry, type EndpointSpec } from './endpoints/endpoint-registry.js';
export { RedisClients, type RedisClientsOptions, type ServiceFactory } from './endpoints/redis-clients.js';
export {
  DEFAULT_SENTINEL_PORT,
  type ParsedSentinels,
  parseSentinels,
  type SentinelFactoryOptions,
  type SentinelNode,
  type SentinelSpec,
} from './endpoints/sentinel-spec.js';
export { abortedError } from './errors/aborted-error.js';
export {
  classifyServerError,
  isAuthFailure,
  type ServerErrorContext,
} from './errors/classify-server-error.js';
export { type CommandRefusalReason, RedisCommandRefusedError } from './errors/command-refused-error.js';
export {
  RedisAbortedError,
  RedisAuthError,
  RedisCapabilityError,
  RedisClosedError,
  RedisConnectionError,
  RedisConnectionLostError,
  RedisError,
  type RedisErrorCode,
  type RedisErrorJson,
  type RedisErrorOptions,
  RedisReplyError,
  RedisSerializationError,
  RedisTimeoutError,
  RedisUnavailableError,
  RedisUnknownMasterError,
  RedisValidationError,
  type ValidationIssue,
} from './errors/redis-error.js';
export { ConnectionKeepAlive, type ConnectionKeepAliveOptions } from './health/connection-keep-alive.js';
export {
  InflightLimiter,
  type InflightLimiterOptions,
  type InflightStats,
  type ReleasePermit,
} from './limiter/inflight-limiter.js';
export { RedisQueueTimeoutError } from './limiter/queue-timeout-error.js';
export {
  DEFAULT_FAILURE_POLICY,
  isRedisFailurePolicy,
  isRedisUnavailableError,
  REDIS_FAILURE_POLICIES,
  type RedisFailurePolicy,
  shouldFailOpen,
} from './policy/failure-policy.js';
export { numericArgText } from './port/arg-text.js';
export type { Capability, DriverCapabilities } from './port/capabilities.js';
export {
  type DedicatedBatchOptions,
  type DedicatedConnection,
  type DedicatedSendOptions,
  execNilError,
  isExecNil,
} from './port/dedicated.js';
export type {
  BatchOptions,
  DriverMessage,
  DriverSubscription,
  LuaScript,
  RedisDriver,
  SubscriptionTarget,
} from './port/driver.js';
export type { BatchItemResult, RedisArg, RedisCommand, RedisReply, SendOptions } from './port/reply.js';
export { RESP3_PAIRED_REPLY_COMMANDS, RESP3_STREAM_MAP_COMMANDS } from './port/resp3-reply-shapes.js';
export { defineScript, evalWithFallback } from './port/script.js';
export type { OverflowPolicy } from './pubsub/message-buffer.js';
export {
  DEFAULT_SUBSCRIPTION_BUFFER,
  type SubscribeArgs,
  type SubscriptionOptions,
} from './pubsub/pubsub.js';
export {
  type InterruptionListener,
  type SubscriberConnection,
  SubscriberRegistry,
  type SubscriptionKind,
} from './pubsub/subscriber-registry.js';
export { type PubSubJsonMessage, type PubSubMessage, Subscription } from './pubsub/subscription.js';
export { SubscriptionOverflowError } from './pubsub/subscription-overflow-error.js';
export {
  checkRateLimit,
  FIXED_WINDOW_SCRIPT,
  type FixedWindowOptions,
  GCRA_SCRIPT,
  type GcraOptions,
  type RateLimitAlgorithm,
  type RateLimitOptions,
  type RateLimitResult,
  rateLimitKeys,
  type ScriptRunner,
  SLIDING_WINDOW_COUNTER_SCRIPT,
  SLIDING_WINDOW_SCRIPT,
  type SlidingWindowCounterOptions,
  type SlidingWindowOptions,
} from './ratelimit/index.js';
export type { DropIndexOptions } from './search/index-commands.js';
export type { VectorSearchHit, VectorSearchOptions } from './search/knn-search.js';
export { escapeQueryValue } from './search/query-escape.js';
export type { NumericFilter, SearchFilter, TagFilter, TextFilter } from './search/search-filter.js';
export { decodeVector, encodeVector, type VectorInput } from './search/vector-bytes.js';
export type { VectorDocument } from './search/vector-document.js';
export type {
  IndexFieldSpec,
  NumericFieldSpec,
  TagFieldSpec,
  TextFieldSpec,
  VectorAlgorithm,
  VectorDistance,
  VectorIndexSpec,
} from './search/vector-index.js';
export type { BatchBuilder, BatchResults, BatchSettled } from './service/batch.js';
export type { RedisServiceOptions } from './service/options.js';
export { type RawCommandOptions, RedisService, type ScanOptions } from './service/redis-service.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_MAX_DEDICATED_CONNECTIONS,
  DEFAULT_MAX_INFLIGHT,
} from './service/resolve-options.js';
export { type ServiceFactoryOptions, serviceOverDriver } from './service/service-over-driver.js';
export type {
  BlockingXreadgroupOptions,
  BlockingXreadOptions,
  StreamBlockOptions,
} from './streams/blocking-stream-reads.js';
export type {
  ConsumeJsonOptions,
  ConsumeModelOptions,
  ConsumeOptions,
  ConsumeReadMode,
} from './streams/consume-options.js';
export type {
  ConsumedMessage,
  StreamMessage,
  StreamMessageBase,
  UndecodableStreamMessage,
} from './streams/consumed-message.js';
export {
  DEAD_LETTER_FIELDS,
  type DeadLetter,
  MAX_DELIVERIES_REASON,
  readDeadLetter,
} from './streams/dead-letter.js';
export type { StreamFields, StreamTrim } from './streams/stream-args.js';
export type {
  XaddOptions,
  XautoclaimOptions,
  XclaimOptions,
  XgroupCreateOptions,
  XpendingRange,
  XrangeJsonOptions,
  XrangeModelOptions,
  XrangeOptions,
  XreadgroupOptions,
  XreadOptions,
} from './streams/stream-commands.js';
export type { StreamConsumer, StreamConsumerStats } from './streams/stream-consumer.js';
export type { StreamEntry, StreamGroupRead, StreamRead } from './streams/stream-entries.js';
export { RedisStreamEntryError } from './streams/stream-entry-error.js';
export type { StreamRangeBound } from './streams/stream-ids.js';
export type { StreamConsumerInfo, StreamGroupInfo, StreamInfo } from './streams/stream-info.js';
export type {
  AutoClaimIdsResult,
  AutoClaimResult,
  PendingEntry,
  PendingSummary,
} from './streams/stream-pending.js';
export { STREAM_JSON_FIELD, type StreamValueEntry } from './streams/stream-values.js';

export { redactText, redactUrl } from './util/redact.js';
export {
  DEFAULT_WATCH_RETRIES,
  type WatchBody,
  type WatchOptions,
  type WatchResult,
} from './watch/run-watch.js';
export { WatchCommit, WatchTransaction } from './watch/watch-transaction.js';
