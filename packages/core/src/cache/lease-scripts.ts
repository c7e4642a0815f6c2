import { defineScript } from '../port/script.js';

/**
 * The cache-aside step of a caller that found no value, in one round trip so no write can slip
 * between the look and the lock:
 * KEYS value, lock, error; ARGV token, lease ms, the owner token this caller waited on ('' if none).
 * Replies `{'v', entry}` (a value arrived), `{'err', token\nerror}` (the awaited compute failed),
 * `{'own'}` (this caller now holds the lease) or `{'wait', holder, lease ms left}`. A new owner
 * deletes the last failure notice: from then on waiters wait for the new compute instead.
 */
export const ACQUIRE_SCRIPT = defineScript(`local v = redis.call('GET', KEYS[1])
if v then return {'v', v} end
if ARGV[3] ~= '' then
  local e = redis.call('GET', KEYS[3])
  if e and string.sub(e, 1, #ARGV[3] + 1) == ARGV[3] .. '\\n' then return {'err', e} end
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[3])
  return {'own'}
end
return {'wait', redis.call('GET', KEYS[2]) or '', redis.call('PTTL', KEYS[2])}`);

/**
 * Takes the lease without looking at the value (a background refresh of a value still served).
 * KEYS lock; ARGV token, lease ms. Replies 1 when taken, 0 when another caller holds it.
 */
export const TRY_LOCK_SCRIPT = defineScript(
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`,
);

/**
 * Fenced by the lease: only while this caller's token still holds the lock does it write the
 * computed entry, release the lock and announce the value. An owner whose lease lapsed (and
 * perhaps passed to another caller, who may already have stored a fresher value) writes nothing.
 * KEYS value, lock; ARGV token, entry, entry ms, channel, publish command (PUBLISH or
 * SPUBLISH: the channel shares the keys' slot). Replies 1 when written, 0 when the lease
 * was lost.
 */
export const COMPLETE_SCRIPT = defineScript(`if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
redis.call(ARGV[5], ARGV[4], 'v\\n' .. ARGV[1] .. '\\n' .. ARGV[2])
return 1`);

/**
 * Fenced like `COMPLETE_SCRIPT`: only the current lease holder records a failure. With a negative
 * entry (`negativeTtlMs`) that entry is the record; without one a short-lived notice for the
 * callers waiting on this token is kept for as long as they may take to look again (the lease's
 * remaining time, at most `notice cap` ms, plus `notice grace` ms), then the error is announced.
 * KEYS value, lock, error; ARGV token, error JSON, notice cap ms, channel, negative entry ('' for
 * none), negative ms, notice grace ms, publish command. Replies 1 when recorded, 0 when the lease was lost.
 */
export const FAIL_SCRIPT = defineScript(`if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[6])
else
  local left = redis.call('PTTL', KEYS[2])
  if left < 0 or left > tonumber(ARGV[3]) then left = tonumber(ARGV[3]) end
  redis.call('SET', KEYS[3], ARGV[1] .. '\\n' .. ARGV[2], 'PX', left + tonumber(ARGV[7]))
end
redis.call('DEL', KEYS[2])
redis.call(ARGV[8], ARGV[4], 'err\\n' .. ARGV[1] .. '\\n' .. ARGV[2])
return 1`);

/** Compare-and-pexpire: KEYS lock; ARGV token, ms. Replies 1 when this owner's lease was extended. */
export const EXTEND_SCRIPT = defineScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/** A random lease token: 128 bits from Web Crypto (present in Node 20+, browsers and edge runtimes). */
export function leaseToken(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
