/**
 * One argument of a command. Arguments are always sent as a separate bulk string each,
 * never concatenated into a command line, so no value can change the command's shape.
 * Numbers are sent in their shortest exact decimal form; `bigint` is sent as its decimal digits.
 */
export type RedisArg = string | number | bigint | Uint8Array;

/**
 * The one normalized shape of every reply, whatever the driver or protocol:
 *
 * - nil -> `null`
 * - integer -> `number` when it is a safe integer (|n| <= 2^53 - 1), otherwise `bigint`, so an
 *   integer is never rounded
 * - simple or bulk string -> `string` (UTF-8), or `Uint8Array` when the command asks for binary
 * - array -> `RedisReply[]` (a nil array is `null`)
 *
 * A server error is never a reply value: it is thrown as a `RedisReplyError`.
 */
export type RedisReply = null | number | bigint | string | Uint8Array | RedisReply[];

/** A command as sent through the driver port: the name first, then its arguments. */
export type RedisCommand = readonly RedisArg[];

/** Options for one command sent through the port. */
export interface SendOptions {
  /** Return bulk strings as `Uint8Array` instead of decoding them as UTF-8. Requires the `binary` capability. */
  readonly binary?: boolean;
  /**
   * The caller's own signal (`redis.command(..., { signal })`), when it gave one: a driver should
   * stop waiting when it fires. Core enforces its command timeout and close itself, so drivers do
   * not rely on this for those.
   */
  readonly signal?: AbortSignal;
  /**
   * For a cluster driver: the hash slot of the command's keys, computed by core (every key of the
   * command is in it). `undefined` for a command without keys: any master will do.
   */
  readonly slot?: number;
  /**
   * For a cluster driver: send to this node (an id from `masters()`) and nowhere else; a MOVED
   * reply is the caller's answer, not followed.
   */
  readonly node?: string;
}

/** The outcome of one command inside a batch: its reply or its own error. */
export type BatchItemResult =
  | { readonly ok: true; readonly value: RedisReply }
  | { readonly ok: false; readonly error: Error };
