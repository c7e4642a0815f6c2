import { utf8Encode } from '../codec/utf8.js';
import { RedisValidationError } from '../errors/redis-error.js';
import { numericArgText } from '../port/arg-text.js';
import type { RedisArg, RedisCommand } from '../port/reply.js';
import { argText, commandName } from './command-name.js';
import { TABLE_REDIS_VERSION } from './commands.generated.js';
import { INVALID, locateKeys } from './key-positions.js';

/**
 * `command` with `prefix` in front of every key, at the table's key positions (so EVAL's keys,
 * ZUNION's, XREAD's streams, MIGRATE's KEYS ... all get it; values, channels and patterns do not).
 * Refuses (nothing is sent) a command the table does not know, arguments that do not fit its key
 * specs, and SORT with BY/GET patterns, which name further keys no position can locate.
 */
export function prefixKeys(command: RedisCommand, prefix: string): RedisCommand {
  const name = commandName(command)?.toUpperCase() ?? '';
  const positions = locateKeys(command);
  if (positions === undefined) {
    throw new RedisValidationError(
      `prefixKeys: ${name} is not in the command table (redis ${TABLE_REDIS_VERSION}), so its keys cannot be found; prefix them yourself`,
    );
  }
  if (positions === INVALID) {
    throw new RedisValidationError(
      `prefixKeys: the arguments of ${name} do not fit its key specs (a key count or range that does not match), so its keys cannot be found`,
    );
  }
  if (name === 'SORT' || name === 'SORT_RO') refuseSortPatterns(command);
  if (prefix === '' || positions.length === 0) return command;
  const prefixed = [...command];
  const prefixBytes = utf8Encode(prefix);
  for (const position of positions) prefixed[position] = withPrefix(command[position]!, prefix, prefixBytes);
  return prefixed;
}

function withPrefix(key: RedisArg, prefix: string, prefixBytes: Uint8Array): RedisArg {
  if (typeof key === 'string') return prefix + key;
  if (key instanceof Uint8Array) {
    const bytes = new Uint8Array(prefixBytes.length + key.length);
    bytes.set(prefixBytes);
    bytes.set(key, prefixBytes.length);
    return bytes;
  }
  return prefix + numericArgText(key);
}

/**
 * SORT ... BY pattern / GET pattern read keys named after the elements (the `*` replaced): those
 * cannot be prefixed by position, so they are refused. A pattern without `*` reads no key (`BY
 * nosort`, `GET #`).
 */
function refuseSortPatterns(command: RedisCommand): void {
  for (let i = 2; i < command.length - 1; i++) {
    const word = argText(command[i]!).toLowerCase();
    if (word === 'limit') i += 2;
    else if (word === 'by' || word === 'get') {
      if (argText(command[i + 1]!).includes('*')) {
        throw new RedisValidationError(
          `prefixKeys cannot prefix the ${word.toUpperCase()} pattern of SORT (it names other keys): send SORT with every key prefixed yourself`,
        );
      }
      i += 1;
    }
  }
}
