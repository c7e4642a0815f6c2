import type { LuaScript } from '../port/driver.js';
import { defineScript } from '../port/script.js';

/** A script that runs many checks of one algorithm, and the shape of one check's input. */
export interface BatchScript {
  readonly script: LuaScript;
  /** How many KEYS and ARGV one check takes: check i owns KEYS[i*k+1 .. i*k+k]; see `defineBatchScript` for ARGV. */
  readonly keysPerCheck: number;
  readonly argsPerCheck: number;
}

/**
 * Builds the batch form of a single-check script from the very same text: the `clock` part runs
 * once (one TIME for the whole batch), then the `body` runs once per check as a local function
 * whose parameters `KEYS` and `ARGV` shadow the globals, so the body reads its own check's slice
 * as `KEYS[1]`, `ARGV[1]`, ... and its `return` ends that check only. The reply is one flat array
 * of the bodies' four integers, check after check (one array to parse, not one per check).
 *
 * KEYS: each check's keys in turn (`keysPerCheck` each). ARGV: the number of distinct argument
 * lists, those lists (`argsPerCheck` each), then, only when there is more than one, the index
 * (from 0) of each check's list. Checks of one batch mostly share their options, so a check
 * costs its keys and little more on the wire and in Redis's argument parsing.
 *
 * Each check runs under `pcall`: a check whose command fails (a key of the wrong type, a write
 * refused) has the error's text in place of its first integer, as a plain string (a Lua error
 * without a code gets `ERR `), and the checks after it still run, as they would have as separate
 * scripts. (What the failed check wrote before its error stays written, as with the single
 * script.)
 */
export function defineBatchScript(
  clock: string,
  body: string,
  keysPerCheck: number,
  argsPerCheck: number,
): BatchScript {
  const source = `${clock}
local function check(KEYS, ARGV)
${body}
end
local tuples = tonumber(ARGV[1])
local picks = 2 + tuples * ${argsPerCheck}
local results = {}
local keys = {}
local argv = {}
for i = 0, #KEYS / ${keysPerCheck} - 1 do
  for k = 1, ${keysPerCheck} do keys[k] = KEYS[i * ${keysPerCheck} + k] end
  local base = 1
  if tuples > 1 then base = 1 + tonumber(ARGV[picks + i]) * ${argsPerCheck} end
  for a = 1, ${argsPerCheck} do argv[a] = ARGV[base + a] end
  local ok, result = pcall(check, keys, argv)
  local at = i * 4
  if ok then
    results[at + 1] = result[1]
    results[at + 2] = result[2]
    results[at + 3] = result[3]
    results[at + 4] = result[4]
  else
    if type(result) == 'table' and result.err then result = result.err end
    result = tostring(result)
    if not string.find(result, '^%u+ ') then result = 'ERR ' .. result end
    results[at + 1] = result
    results[at + 2] = 0
    results[at + 3] = 0
    results[at + 4] = 0
  end
end
return results
`;
  return { script: defineScript(source), keysPerCheck, argsPerCheck };
}
