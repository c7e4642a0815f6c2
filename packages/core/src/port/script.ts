import { RedisReplyError } from '../errors/redis-error.js';
import { sha1Hex } from '../util/sha1.js';
import type { LuaScript, RedisDriver } from './driver.js';
import type { RedisArg, RedisReply, SendOptions } from './reply.js';

/** Names a Lua script by its SHA-1 once, so every call can use EVALSHA. */
export function defineScript(source: string): LuaScript {
  return { source, sha1: sha1Hex(source) };
}

/**
 * EVALSHA with an EVAL fallback when the server has not cached the script (NOSCRIPT), written once
 * for every adapter: an adapter's `evalScript` can simply delegate here. (Services run scripts
 * with `RedisService.runScript(script, { keys, args })`, which prefixes the keys and passes the
 * limiter; this is the driver-level step under it.)
 */
export function evalWithFallback(
  send: RedisDriver['send'],
  script: LuaScript,
  keys: readonly RedisArg[],
  args: readonly RedisArg[],
  options?: SendOptions,
): Promise<RedisReply> {
  // A plain promise chain, not an async function: scripts sit on hot paths (rate limiting), and
  // the fallback only ever runs once per script and server.
  return send(['EVALSHA', script.sha1, keys.length, ...keys, ...args], options).catch((error: unknown) => {
    if (!(error instanceof RedisReplyError) || error.prefix !== 'NOSCRIPT') throw error;
    return send(['EVAL', script.source, keys.length, ...keys, ...args], options);
  });
}
