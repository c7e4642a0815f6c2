import { abortedError } from '../errors/aborted-error.js';
import { DEFAULT_FAILURE_POLICY, type RedisFailurePolicy, shouldFailOpen } from '../policy/failure-policy.js';
import type { LuaScript } from '../port/driver.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import { rateLimitKeys } from './rate-limit-keys.js';
import type { RateLimitOptions, RateLimitResult } from './rate-limit-options.js';
import { decodeRateLimitReply, degradedResult } from './rate-limit-reply.js';
import { type PreparedRateLimit, prepareRateLimit } from './validate-rate-limit.js';

/** What `checkRateLimit` needs of a service: running a script with prefixed keys (`RedisService` fits). */
export interface ScriptRunner {
  runScript(
    script: LuaScript,
    input: { readonly keys?: readonly string[]; readonly args?: readonly RedisArg[] },
  ): Promise<RedisReply>;
}

/**
 * Checks (and, when allowed, counts) `cost` units against `key`: one atomic Lua script, one round
 * trip (EVALSHA, EVAL on NOSCRIPT), on Redis's clock. A denied call changes nothing.
 *
 * When Redis is unavailable (`RedisConnectionError`, `RedisTimeoutError`), the policy decides:
 * `'fail-closed'` (the default) rethrows; `'fail-open'` resolves `{ allowed: true, degraded: true }`
 * with `remaining` = limit - cost and no wait. Other errors (validation, a missing `scripting`
 * capability, a server error reply) always reject.
 *
 * This sends each call on its own; `RedisService.checkRateLimit` batches the checks of a tick. A
 * `signal` that already fired rejects the call with `RedisAbortedError` before anything is sent;
 * one that fires later is not heard (the runner takes no signal).
 *
 * @param defaultPolicy the service's policy, used unless `options.failurePolicy` is given
 */
export function checkRateLimit(
  runner: ScriptRunner,
  key: string,
  options: RateLimitOptions,
  defaultPolicy: RedisFailurePolicy = DEFAULT_FAILURE_POLICY,
): Promise<RateLimitResult> {
  let prepared: PreparedRateLimit;
  let reply: Promise<RedisReply>;
  try {
    prepared = prepareRateLimit(key, options);
    if (options.signal?.aborted)
      throw abortedError(options.signal, 'the caller aborted the rate-limit check');
    reply = runner.runScript(prepared.script, {
      keys: rateLimitKeys(key, options.algorithm),
      args: prepared.args,
    });
  } catch (error) {
    return Promise.reject(error);
  }
  // A promise chain, not an async function: this is the hot path of every check.
  return reply.then(
    (value) => decodeRateLimitReply(value, prepared.limit),
    (error: unknown) => {
      if (!shouldFailOpen(options.failurePolicy ?? defaultPolicy, error)) throw error;
      return degradedResult(prepared);
    },
  );
}
