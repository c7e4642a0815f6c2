import {
  type BatchItemResult,
  type DriverCapabilities,
  type RedisArg,
  RedisCapabilityError,
  RedisClosedError,
  RedisConnectionError,
  type RedisDriver,
  type RedisReply,
  RedisReplyError,
  utf8Decode,
} from '@redis-service/core';
import { parseRedisUrl } from '../bridge/redis-target.js';
import type { RespArg, RespConnection } from '../bridge/resp-connection.js';
import { RespPool } from '../bridge/resp-pool.js';
import type { RespValue } from '../fake/resp-value.js';

const CAPABILITIES: DriverCapabilities = {
  transactions: false,
  scripting: false,
  pubsub: false,
  binary: false,
  blocking: false,
  search: false,
  exactIntegers: true,
  cluster: false,
  shardedPubsub: false,
};

function argText(arg: RedisArg): RespArg {
  if (arg instanceof Uint8Array || typeof arg === 'string') return arg;
  return String(arg);
}

function toReply(value: RespValue): RedisReply {
  switch (value.type) {
    case 'simple':
      return value.value;
    case 'bulk':
      return typeof value.value === 'string' ? value.value : utf8Decode(value.value);
    case 'int':
      return typeof value.value === 'bigint' && Number.isSafeInteger(Number(value.value))
        ? Number(value.value)
        : value.value;
    case 'nil':
    case 'nil-array':
      return null;
    case 'array':
      return value.items.map(toReply);
    case 'error':
      throw new RedisReplyError(value.message);
  }
}

/**
 * The smallest RESP driver the kit needs for its own housekeeping against a `redis://` URL when no
 * adapter is given (the `cleanup` command): single commands and pipelines over the bridge's
 * connection pool, no capabilities. Not an adapter to build on.
 */
export function createRespDriver(url: string): RedisDriver {
  // One connection, lent to one command (or pipeline) at a time: commands run in issue order.
  const pool = new RespPool(parseRedisUrl(url), 1);
  let closed = false;
  const use = <T>(work: (connection: RespConnection) => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new RedisClosedError('the kit RESP driver is closed'));
    return pool.use(work).catch((error: unknown) => {
      throw new RedisConnectionError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    });
  };
  return {
    name: 'kit-resp',
    capabilities: CAPABILITIES,
    send: (command) => use((connection) => connection.send(command.map(argText))).then(toReply),
    batch: async (commands, options) => {
      if (options.transaction) throw new RedisCapabilityError('transactions', 'kit-resp', 'a transaction');
      const replies = await use((connection) =>
        connection.sendAll(commands.map((command) => command.map(argText))),
      );
      return replies.map((reply): BatchItemResult => {
        try {
          return { ok: true, value: toReply(reply) };
        } catch (error) {
          return { ok: false, error: error as Error };
        }
      });
    },
    evalScript: () => Promise.reject(new RedisCapabilityError('scripting', 'kit-resp', 'a Lua script')),
    close: async () => {
      closed = true;
      pool.close();
    },
  };
}
