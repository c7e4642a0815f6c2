/**
 * What a driver can do. Core and the conformance kit consult this manifest: calling a feature the
 * driver lacks throws `RedisCapabilityError`, and kit cases that need it are skipped with that reason.
 */
export interface DriverCapabilities {
  /** MULTI/EXEC batches with a result for each command. */
  readonly transactions: boolean;
  /** Lua scripts (EVAL/EVALSHA). */
  readonly scripting: boolean;
  /** Publish/subscribe delivery to this process. */
  readonly pubsub: boolean;
  /** Binary-safe values: arbitrary bytes in, the same bytes out. */
  readonly binary: boolean;
  /**
   * Dedicated connections (`RedisDriver.openDedicated`): blocking commands (BLPOP, BRPOP, ...),
   * which hold a connection, and WATCH transactions, which need one of their own.
   */
  readonly blocking: boolean;
  /** RediSearch (FT.*) commands; `'detect'` means ask the server at run time. */
  readonly search: boolean | 'detect';
  /**
   * Integers beyond 2^53 arrive exact (as `bigint`). A driver whose transport rounds them declares
   * `false` and must refuse such a reply with `RedisSerializationError` rather than return a
   * rounded value.
   */
  readonly exactIntegers: boolean;
  /**
   * The driver talks to a Redis Cluster and routes each command to the master of its hash slot,
   * following MOVED and ASK redirections (see `RedisDriver`, "On a cluster"). Core then keeps
   * every typed API's meaning across slots: multi-key commands are split by slot, pipelines are
   * sent command by command, transactions and scripts must keep to one slot, SCAN walks every
   * master. `false` or absent for a driver of one server (or of a service that shards on its own
   * side).
   */
  readonly cluster?: boolean;
  /**
   * Sharded pub/sub (Redis 7: SSUBSCRIBE / SPUBLISH): `subscribe` takes `shardChannels`. On a
   * cluster a shard channel lives on the master of its slot instead of being broadcast to every
   * node, which is what `getOrCompute`'s waiter notices use there. Absent means `false`.
   */
  readonly shardedPubsub?: boolean;
}

/** The name of one capability in the manifest. */
export type Capability = keyof DriverCapabilities;
