import type { RedisCommand } from '../port/reply.js';

/**
 * The one key-extraction function cluster routing uses: the indexes of the arguments that pick
 * `command`'s hash slot (0 is the name): its keys, and a shard channel (SPUBLISH). `[]` for a
 * command without them, `undefined` for one it does not know (routed to any node; the server
 * redirects a keyed one with MOVED, which the driver follows).
 *
 * Interim: the commands core itself sends, until the generated command table (`keyPositions`)
 * is in core; then this becomes `keyPositions(command, { includeNotKeys: true })`.
 */
export function commandKeyIndexes(command: RedisCommand): readonly number[] | undefined {
  const name = commandName(command);
  if (name === undefined) return undefined;
  if (name === 'SPUBLISH') return command.length > 1 ? FIRST : NONE;
  if (KEYLESS.has(name)) return NONE;
  if (ALL_ARGS.has(name)) return range(1, command.length, 1);
  if (PAIRS.has(name)) return range(1, command.length, 2);
  if (NUMKEYS.has(name)) return numKeys(command);
  if (FIRST_ARG.has(name)) return command.length > 1 ? FIRST : NONE;
  return undefined;
}

const NONE: readonly number[] = Object.freeze([]);
const FIRST: readonly number[] = Object.freeze([1]);

const KEYLESS = new Set([
  'PING',
  'ECHO',
  'TIME',
  'INFO',
  'SCAN',
  'DBSIZE',
  'KEYS',
  'RANDOMKEY',
  'FLUSHALL',
  'FLUSHDB',
  'PUBLISH',
  'PUBSUB',
  'SCRIPT',
  'FUNCTION',
  'CONFIG',
  'CLIENT',
  'CLUSTER',
  'COMMAND',
  'LASTSAVE',
  'SAVE',
  'BGSAVE',
  'BGREWRITEAOF',
  'WAIT',
  'MEMORY',
  'LATENCY',
  'SLOWLOG',
  'ACL',
  'MULTI',
  'EXEC',
  'DISCARD',
  'FT._LIST',
  'FT.CREATE',
  'FT.SEARCH',
  'FT.DROPINDEX',
  'FT.INFO',
  'FT.AGGREGATE',
]);
const ALL_ARGS = new Set([
  'MGET',
  'DEL',
  'UNLINK',
  'EXISTS',
  'TOUCH',
  'WATCH',
  'SUNION',
  'SINTER',
  'SDIFF',
  'PFCOUNT',
]);
const PAIRS = new Set(['MSET', 'MSETNX']);
const NUMKEYS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);
const FIRST_ARG = new Set([
  'GET',
  'SET',
  'SETNX',
  'SETEX',
  'PSETEX',
  'GETSET',
  'GETDEL',
  'GETEX',
  'APPEND',
  'STRLEN',
  'INCR',
  'INCRBY',
  'INCRBYFLOAT',
  'DECR',
  'DECRBY',
  'GETRANGE',
  'SETRANGE',
  'EXPIRE',
  'PEXPIRE',
  'EXPIREAT',
  'PEXPIREAT',
  'TTL',
  'PTTL',
  'PERSIST',
  'TYPE',
  'DUMP',
  'RESTORE',
  'OBJECT',
  'HGET',
  'HSET',
  'HSETNX',
  'HMSET',
  'HMGET',
  'HGETALL',
  'HDEL',
  'HEXISTS',
  'HINCRBY',
  'HINCRBYFLOAT',
  'HLEN',
  'HKEYS',
  'HVALS',
  'HSCAN',
  'HSTRLEN',
  'HRANDFIELD',
  'LPUSH',
  'RPUSH',
  'LPUSHX',
  'RPUSHX',
  'LPOP',
  'RPOP',
  'LRANGE',
  'LLEN',
  'LTRIM',
  'LINDEX',
  'LSET',
  'LREM',
  'LINSERT',
  'LPOS',
  'SADD',
  'SREM',
  'SMEMBERS',
  'SISMEMBER',
  'SMISMEMBER',
  'SCARD',
  'SPOP',
  'SRANDMEMBER',
  'SSCAN',
  'ZADD',
  'ZREM',
  'ZSCORE',
  'ZMSCORE',
  'ZINCRBY',
  'ZRANK',
  'ZREVRANK',
  'ZCARD',
  'ZCOUNT',
  'ZRANGE',
  'ZRANGEBYSCORE',
  'ZREVRANGE',
  'ZREVRANGEBYSCORE',
  'ZREMRANGEBYRANK',
  'ZREMRANGEBYSCORE',
  'ZSCAN',
  'ZPOPMIN',
  'ZPOPMAX',
  'PFADD',
  'SETBIT',
  'GETBIT',
  'BITCOUNT',
  'XADD',
  'XLEN',
  'XRANGE',
  'XREVRANGE',
  'XDEL',
  'XTRIM',
]);

function commandName(command: RedisCommand): string | undefined {
  const first = command[0];
  if (first === undefined) return undefined;
  return (first instanceof Uint8Array ? new TextDecoder().decode(first) : String(first)).toUpperCase();
}

function range(start: number, end: number, step: number): number[] {
  const indexes: number[] = [];
  for (let i = start; i < end; i += step) indexes.push(i);
  return indexes;
}

function numKeys(command: RedisCommand): readonly number[] {
  const count = Number(command[2] instanceof Uint8Array ? new TextDecoder().decode(command[2]) : command[2]);
  if (!Number.isSafeInteger(count) || count <= 0) return NONE;
  return range(3, Math.min(3 + count, command.length), 1);
}
