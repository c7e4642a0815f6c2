import { defineScript } from '../port/script.js';
import { defineBatchScript } from './rate-limit-batch-script.js';

// Every script reads the clock with Redis's own TIME (never the app's), in microseconds, and returns
// { allowed (0/1), remaining, resetAtMs, retryAfterMs } as integers (Lua numbers are doubles, and
// Redis truncates them, so each value is floored or ceiled on purpose). A denied call writes nothing.
// Numbers passed back to Redis go through string.format: tostring() keeps only 14 digits, and a
// microsecond clock has 16.
const CLOCK = `
local clock = redis.call('TIME')
local now_us = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
`;

// What the SLIDING_WINDOW_SCRIPT runs after reading the clock; the batch script runs it once per check.
const SLIDING_WINDOW_BODY = `
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local window_us = window_ms * 1000
local cost = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '0', string.format('%d', now_us - window_us))
local count = redis.call('ZCARD', KEYS[1])
if count > 0 then count = count - 1 end
if count + cost > limit then
  local nth = count + cost - limit
  local frees = redis.call('ZRANGE', KEYS[1], nth, nth, 'WITHSCORES')
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local retry_us = tonumber(frees[2]) + window_us - now_us
  local reset_us = tonumber(newest[2]) + window_us
  return { 0, math.max(0, limit - count), math.ceil(reset_us / 1000), math.max(1, math.ceil(retry_us / 1000)) }
end
local last = -tonumber(redis.call('ZINCRBY', KEYS[1], -cost, '#seq'))
local score = string.format('%d', now_us)
local batch = {}
for seq = last - cost + 1, last do
  batch[#batch + 1] = score
  batch[#batch + 1] = string.format('%d', seq)
  if #batch >= 1000 then
    redis.call('ZADD', KEYS[1], unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('ZADD', KEYS[1], unpack(batch)) end
redis.call('PEXPIRE', KEYS[1], window_ms)
return { 1, limit - count - cost, math.ceil((now_us + window_us) / 1000), 0 }
`;

/**
 * Sliding-window log. KEYS: the log (a sorted set). ARGV: limit, windowMs, cost.
 * Each unit is one member (a unique sequence number) scored with the microsecond it was admitted,
 * so a cost of n adds n members and the count stays an O(1) ZCARD. The sequence counter lives in
 * the same sorted set as the member `#seq` with a negative score (minus the last number handed
 * out): trimming starts at score 0, so it survives, and the log needs no second key.
 */
export const SLIDING_WINDOW_SCRIPT = defineScript(CLOCK + SLIDING_WINDOW_BODY);

// What the FIXED_WINDOW_SCRIPT runs after reading the clock; the batch script runs it once per check.
const FIXED_WINDOW_BODY = `
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now_ms = math.floor(now_us / 1000)
local window_start = now_ms - (now_ms % window_ms)
local window_end = window_start + window_ms
local count = 0
local state = redis.call('GET', KEYS[1])
if state then
  local sep = string.find(state, ':', 1, true)
  if sep and tonumber(string.sub(state, 1, sep - 1)) == window_start then
    count = tonumber(string.sub(state, sep + 1)) or 0
  end
end
if count + cost > limit then
  return { 0, math.max(0, limit - count), window_end, window_end - now_ms }
end
redis.call('SET', KEYS[1], string.format('%d:%d', window_start, count + cost), 'PXAT', string.format('%d', window_end))
return { 1, limit - count - cost, window_end, 0 }
`;

/**
 * Fixed window. KEYS: a string `<window start ms>:<units counted>`. ARGV: limit, windowMs, cost.
 * Windows are aligned to multiples of windowMs on Redis's clock; comparing the stored window start
 * (rather than trusting the key's expiry) keeps a window exact even at its boundary, and one
 * SET ... PXAT writes the count and the expiry together.
 */
export const FIXED_WINDOW_SCRIPT = defineScript(CLOCK + FIXED_WINDOW_BODY);

// What the SLIDING_WINDOW_COUNTER_SCRIPT runs after reading the clock; the batch script runs it once per check.
const SLIDING_WINDOW_COUNTER_BODY = `
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local window_us = window_ms * 1000
local now_ms = math.floor(now_us / 1000)
local start_ms = now_ms - (now_ms % window_ms)
local end_ms = start_ms + window_ms
local current = 0
local previous = 0
local state = redis.call('GET', KEYS[1])
if state then
  local a = string.find(state, ':', 1, true)
  local b = a and string.find(state, ':', a + 1, true)
  if b then
    local stored = tonumber(string.sub(state, 1, a - 1))
    if stored == start_ms then
      current = tonumber(string.sub(state, a + 1, b - 1)) or 0
      previous = tonumber(string.sub(state, b + 1)) or 0
    elseif stored == start_ms - window_ms then
      previous = tonumber(string.sub(state, a + 1, b - 1)) or 0
    end
  end
end
local start_us = start_ms * 1000
local weight = (start_us + window_us - now_us) / window_us
local estimate = previous * weight + current
if estimate + cost > limit then
  local wait_us
  if current + cost <= limit then
    wait_us = start_us + (1 - (limit - current - cost) / previous) * window_us - now_us
  else
    wait_us = end_ms * 1000 + math.max(0, 1 - (limit - cost) / current) * window_us - now_us
  end
  local reset_ms = end_ms
  if current > 0 then reset_ms = end_ms + window_ms end
  return { 0, math.max(0, math.floor(limit - estimate)), reset_ms, math.max(1, math.ceil(wait_us / 1000)) }
end
current = current + cost
redis.call('SET', KEYS[1], string.format('%d:%d:%d', start_ms, current, previous), 'PXAT', string.format('%d', end_ms + window_ms))
return { 1, math.max(0, math.floor(limit - previous * weight - current)), end_ms + window_ms, 0 }
`;

/**
 * Sliding-window counter (two buckets). KEYS: a string `<window start ms>:<this window's units>:
 * <the previous window's units>`. ARGV: limit, windowMs, cost. The estimate is
 * previous × (share of the previous window still inside the span) + current; the stored window
 * start tells whether the stored counts are this window's, the previous one's (then they become
 * `previous`) or older (then both are 0). The key lives until its window stops counting as the
 * previous one. A denied call's wait is when the previous window's weight will have fallen
 * enough, or, if this window alone is too full, when the next window's weight of it will have.
 */
export const SLIDING_WINDOW_COUNTER_SCRIPT = defineScript(CLOCK + SLIDING_WINDOW_COUNTER_BODY);

// What the GCRA_SCRIPT runs after reading the clock; the batch script runs it once per check.
const GCRA_BODY = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local period_us = tonumber(ARGV[3]) * 1000
local cost = tonumber(ARGV[4])
local emission = period_us / rate
local burst_offset = emission * burst
local tolerance = 0.5
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now_us then tat = now_us end
local new_tat = tat + emission * cost
local diff = now_us - (new_tat - burst_offset)
if diff < -tolerance then
  local available = math.floor((now_us - (tat - burst_offset) + tolerance) / emission)
  if available < 0 then available = 0 end
  return { 0, available, math.ceil(tat / 1000), math.max(1, math.ceil(-diff / 1000)) }
end
local remaining = math.floor((diff + tolerance) / emission)
if remaining > burst - cost then remaining = burst - cost end
if remaining < 0 then remaining = 0 end
local reset_us = new_tat - now_us
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX', string.format('%d', math.ceil(reset_us / 1000)))
return { 1, remaining, math.ceil(new_tat / 1000), 0 }
`;

/**
 * GCRA after go-redis/redis_rate. KEYS: the theoretical arrival time (TAT, microseconds).
 * ARGV: burst, rate, periodMs, cost. A half-microsecond tolerance absorbs the rounding of
 * fractional emission intervals (below TIME's own resolution).
 */
export const GCRA_SCRIPT = defineScript(CLOCK + GCRA_BODY);

// The batch forms: one TIME, then each body once per check (see defineBatchScript). Each
// algorithm has one key per check; the GCRA takes four arguments, the others three.
export const SLIDING_WINDOW_BATCH = defineBatchScript(CLOCK, SLIDING_WINDOW_BODY, 1, 3);
export const FIXED_WINDOW_BATCH = defineBatchScript(CLOCK, FIXED_WINDOW_BODY, 1, 3);
export const SLIDING_WINDOW_COUNTER_BATCH = defineBatchScript(CLOCK, SLIDING_WINDOW_COUNTER_BODY, 1, 3);
export const GCRA_BATCH = defineBatchScript(CLOCK, GCRA_BODY, 1, 4);
