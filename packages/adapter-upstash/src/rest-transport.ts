/**
 * What the driver needs from a REST client: post one command or one batch and hand back the
 * decoded JSON (base64 already undone). A transport throws core errors: `RedisReplyError` when the
 * service refused the request with `{ error }` (HTTP 400: a command error, a discarded
 * transaction), `RedisConnectionError` when it could not be reached, refused the token or sent
 * something unreadable. Aborts are left to the driver, which knows why it aborted.
 */
export interface RestTransport {
  /** Where requests go, for messages (never with credentials). */
  readonly endpoint: string;
  /**
   * Whether integers beyond 2^53 arrive exact (as `bigint`). False over an @upstash/redis client,
   * whose `JSON.parse` rounds them before the driver sees them. The driver declares it as its
   * `exactIntegers` capability.
   */
  readonly exactIntegers: boolean;
  /** `POST /` with the argument vector; resolves with `result`. */
  command(argv: readonly string[], signal: AbortSignal): Promise<unknown>;
  /** `POST /pipeline` or `POST /multi-exec`; resolves with the response array as it came. */
  batch(
    commands: readonly (readonly string[])[],
    transaction: boolean,
    signal: AbortSignal,
  ): Promise<unknown>;
}
