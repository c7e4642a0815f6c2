/**
 * Which raw commands `command()` refuses, and what to use instead. A policy, so written by hand;
 * keyed by the table's names (`client|reply`). The table itself says which commands block.
 */

const PUBSUB = 'Use redis.subscribe(...channels), which listens on a subscriber connection of its own.';
const PATTERN_PUBSUB =
  'Use redis.psubscribe(...patterns), which listens on a subscriber connection of its own.';
const SHARDED_PUBSUB =
  'Sharded pub/sub needs a subscriber connection of its own, which the service does not offer yet: use redis.subscribe(...channels) or a dedicated client.';
const TRANSACTION = 'Use redis.transaction((tx) => [...]), which sends MULTI ... EXEC as one batch.';
const WATCH = 'Use redis.watch(keys, ...), which watches and commits on a dedicated connection.';
const ADMIN =
  'It changes the server under every caller: run it from an administrative client (e.g. redis-cli).';
const REPLICATION = 'The replication protocol is for replicas, not for a shared client connection.';
const CLUSTER_MODE = 'Cluster connection modes belong to the adapter that routes the commands.';
const CONNECTION_OPTION = 'Set it in the connection options of the adapter (the URL or the client).';
const CLIENT_SIDE_CACHING = 'Client-side caching is not offered by the service yet (reserved).';
const DEDICATED_CLIENT = 'A mode of one connection: use a dedicated client for it.';

/** The commands that would change the state of the shared connection, with what to use instead. */
export const REFUSED_COMMANDS: Readonly<Record<string, string>> = {
  subscribe: PUBSUB,
  unsubscribe: PUBSUB,
  psubscribe: PATTERN_PUBSUB,
  punsubscribe: PATTERN_PUBSUB,
  ssubscribe: SHARDED_PUBSUB,
  sunsubscribe: SHARDED_PUBSUB,
  multi: TRANSACTION,
  exec: TRANSACTION,
  discard: TRANSACTION,
  watch: WATCH,
  unwatch: WATCH,
  select: 'A service talks to one database: create another service for database N (redis://host:port/N).',
  swapdb: ADMIN,
  quit: 'Use redis.close().',
  reset: 'Use redis.close() and create a new service.',
  hello: `The protocol and credentials belong to the adapter. ${CONNECTION_OPTION} For the server version, use command(['INFO', 'server']).`,
  auth: `Credentials belong to the connection. ${CONNECTION_OPTION}`,
  'client|reply': 'Every command of the service waits for its reply; there is no replacement.',
  'client|tracking': CLIENT_SIDE_CACHING,
  'client|caching': CLIENT_SIDE_CACHING,
  'client|setname': `The adapter names its connections. ${CONNECTION_OPTION}`,
  'client|no-evict': DEDICATED_CLIENT,
  'client|no-touch': DEDICATED_CLIENT,
  monitor:
    'MONITOR turns the connection into a stream of every command: use redis-cli monitor or a dedicated client.',
  sync: REPLICATION,
  psync: REPLICATION,
  replconf: REPLICATION,
  replicaof: ADMIN,
  slaveof: ADMIN,
  failover: ADMIN,
  readonly: CLUSTER_MODE,
  readwrite: CLUSTER_MODE,
  asking: CLUSTER_MODE,
};

/** Refused commands the pinned server's table does not list (they are newer), checked by a test. */
export const REFUSED_NEWER_THAN_TABLE: readonly string[] = ['client|no-touch'];

/**
 * Commands that hold the connection although the pinned server's metadata does not flag them
 * `blocking`: WAIT waits for replicas (forever with timeout 0); WAITAOF (Redis 7.2) for the AOF.
 */
export const BLOCKING_BY_NAME: readonly string[] = ['wait', 'waitaof'];

const DEDICATED_WAIT = (api: string) => `Use ${api}, which waits on a dedicated connection.`;

/** What to use instead of each blocking command (the refusal's message); others: a dedicated client. */
export const BLOCKING_USE: Readonly<Record<string, string>> = {
  blpop: DEDICATED_WAIT('redis.blpop(...)'),
  brpop: DEDICATED_WAIT('redis.brpop(...)'),
  blmove: DEDICATED_WAIT('redis.blmove(...)'),
  brpoplpush: DEDICATED_WAIT('redis.blmove(...)'),
  blmpop: DEDICATED_WAIT('redis.blmpop(...)'),
  bzpopmin: DEDICATED_WAIT('redis.bzpopmin(...)'),
  bzpopmax: DEDICATED_WAIT('redis.bzpopmax(...)'),
  bzmpop: DEDICATED_WAIT('redis.bzmpop(...)'),
  xread: DEDICATED_WAIT('redis.xread(streams, { blockMs })'),
  xreadgroup: `${DEDICATED_WAIT('redis.xreadgroup(..., { blockMs }) or redis.consume(...)')} consume polls where there are no dedicated connections.`,
};

/** What to use instead of a blocking command `BLOCKING_USE` does not name. */
export const BLOCKING_DEFAULT_USE = 'Use a dedicated client for it.';
