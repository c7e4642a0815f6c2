import type { RedisFailurePolicy } from '../policy/failure-policy.js';

/** Options of a `RedisService`. */
export interface RedisServiceOptions {
  /** Prepended to every key the service touches (not to raw `command()` arguments). Default: none. */
  readonly keyPrefix?: string;
  /** The most commands in flight to this endpoint at once; a batch counts as one. Default: 64. */
  readonly maxInflight?: number;
  /**
   * How long a command may wait for its reply, in milliseconds, counted from the moment it is
   * handed to the driver (after it got an inflight permit; the queue wait is `queueTimeoutMs`).
   * On expiry: `RedisTimeoutError` (the command may have run). `0` disables it. Default: 5000.
   */
  readonly commandTimeoutMs?: number;
  /**
   * How long a caller may wait for an inflight permit, in milliseconds, counted from the call.
   * On expiry: `RedisQueueTimeoutError` (a `RedisTimeoutError` with `sent: false`: the command
   * was never sent, so it is safe to retry). The command timeout starts only after the permit, so
   * a caller waits at most `queueTimeoutMs + commandTimeoutMs` in all; for one deadline over both,
   * pass a `signal` (e.g. `AbortSignal.timeout(ms)`). `0` disables it. Default: `commandTimeoutMs`.
   */
  readonly queueTimeoutMs?: number;
  /** Which endpoint this service serves, for messages and stats. Default: the driver's name. */
  readonly endpointId?: string;
  /**
   * What features that can live without Redis (the rate limiter, `getOrCompute`) do when Redis is
   * unavailable (connection or timeout errors): `'fail-open'` carries on without Redis,
   * `'fail-closed'` rethrows. Per-call options may override it. Default: `'fail-closed'`.
   */
  readonly failurePolicy?: RedisFailurePolicy;
}

/** `RedisServiceOptions` with every default filled in. */
export interface ResolvedServiceOptions {
  readonly keyPrefix: string;
  readonly maxInflight: number;
  readonly commandTimeoutMs: number;
  readonly queueTimeoutMs: number;
  readonly endpointId: string;
  readonly failurePolicy: RedisFailurePolicy;
}
