/**
 * The adapter toolkit: what every driver adapter for `@redis-service/core` needs besides the
 * mapping of its own client, written once. An adapter implements `RedisDriver` (from
 * `@redis-service/core`) with these:
 *
 * - arguments: `commandArgs`, `commandArg`, `commandName`;
 * - replies: `normalizeCommandReply` (`resp2Shape` + `normalizeReply`), `doubleText`;
 * - batches: `pipelineResults`, `transactionResults` (MULTI/EXEC with queue-time errors,
 *   EXECABORT and nil EXEC), `settledFromErrorFirst`, `execNilError`;
 * - calls in flight: `InflightCalls` (settle once; close, abort and an optional deadline);
 * - errors: `mapDriverError`, `connectionFailure` and `timeoutFailure` around
 *   `classifyServerError`, `abortedError`, `redactText`;
 * - the connection: `LastConnectionError` (what the client last reported, which explains a failed
 *   command and a `resetConnection`);
 * - dedicated connections: `DedicatedOverDriver`, `readClientId`; scripts: `evalWithFallback`;
 * - pub/sub: `ResubscribingSubscriber` (for clients that resubscribe by themselves), or its parts:
 *   `SubscriberRegistry` (reference-counted names on one connection) and `ConnectionKeepAlive`
 *   (pings an idle subscriber connection);
 * - options: `checkTimeout`, `checkRedisUrl`; the factory: `serviceOverDriver`.
 *
 * docs/ARCHITECTURE.md ("Writing an adapter") walks through an adapter built on it. Nothing here
 * uses a Node API.
 *
 * @packageDocumentation
 */
export { abortedError } from '../errors/aborted-error.js';
export {
  classifyServerError,
  isAuthFailure,
  type ServerErrorContext,
} from '../errors/classify-server-error.js';
export { ConnectionKeepAlive, type ConnectionKeepAliveOptions } from '../health/connection-keep-alive.js';
export { numericArgText } from '../port/arg-text.js';
export { execNilError } from '../port/dedicated.js';
export { RESP3_PAIRED_REPLY_COMMANDS, RESP3_STREAM_MAP_COMMANDS } from '../port/resp3-reply-shapes.js';
export { evalWithFallback } from '../port/script.js';
export {
  type InterruptionListener,
  type SubscriberConnection,
  SubscriberRegistry,
  type SubscriptionKind,
} from '../pubsub/subscriber-registry.js';
export { type ServiceFactoryOptions, serviceOverDriver } from '../service/service-over-driver.js';
export { redactText } from '../util/redact.js';
export {
  type BatchReader,
  type CommandOutcome,
  pipelineResults,
  settledFromErrorFirst,
  transactionResults,
} from './batch-results.js';
export { commandArg, commandArgs, commandName } from './command-args.js';
export { type DedicatedDriver, DedicatedOverDriver } from './dedicated-over-driver.js';
export { checkRedisUrl, checkTimeout } from './driver-options.js';
export { InflightCalls, type InflightCallsOptions } from './inflight-calls.js';
export { type ConnectionEventSource, LastConnectionError } from './last-connection-error.js';
export {
  type ClassifyDriverError,
  connectionFailure,
  connectionLostFailure,
  type DriverErrorContext,
  mapDriverError,
  timeoutFailure,
} from './map-driver-error.js';
export { doubleText, type NumberDecoding, normalizeMapKey, normalizeReply } from './normalize-reply.js';
export { type ClientIdSource, readClientId } from './read-client-id.js';
export { normalizeCommandReply, resp2Shape } from './resp3-shapes.js';
export {
  type ResubscribingClient,
  ResubscribingSubscriber,
  type ResubscribingSubscriberOptions,
} from './resubscribing-subscriber.js';
