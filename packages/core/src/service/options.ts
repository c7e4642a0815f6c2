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
   * The most dedicated connections the service opens besides the shared one, for blocking
   * commands (`blpop`, ...) and WATCH transactions (`watch`): each holds one while it runs. They
   * are opened on first use and closed with the service; a caller who finds them all in use waits
   * for one, first come first served. Default: 8.
   */
  readonly maxDedicatedConnections?: number;
  /**
   * After a command times out, the service sends one PING straight to the driver (no inflight
   * permit, no caller waits for it) to tell a slow server from a half-open connection; a PING
   * with no answer at all within this many milliseconds has the driver reset the connection
   * (`RedisDriver.resetConnection`): what is still in flight on it fails with
   * `RedisConnectionError`, and the next command runs on a new connection. At most one check runs
   * at a time. `0` disables the check. Default: `commandTimeoutMs`, so commands are back within
   * about twice the command timeout after the peer vanished.
   */
  readonly healthCheckTimeoutMs?: number;
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
  readonly maxDedicatedConnections: number;
  readonly healthCheckTimeoutMs: number;
  readonly queueTimeoutMs: number;
  readonly endpointId: string;
  readonly failurePolicy: RedisFailurePolicy;
}
