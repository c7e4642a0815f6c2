import type { RedisCommand } from '../port/reply.js';
import { argText } from './command-name.js';

/**
 * The commands whose keys their key specs cannot locate (an `unknown` or `incomplete` spec): the
 * server finds them with hand-written code, mirrored here so `keyPositions` agrees with
 * `COMMAND GETKEYS` (a test checks both against the server).
 */
export const KEY_FINDERS: Readonly<Record<string, (command: RedisCommand) => number[]>> = {
  sort: sortKeys,
  migrate: migrateKeys,
};

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]. */
function sortKeys(command: RedisCommand): number[] {
  let store: number | undefined;
  for (let i = 2; i < command.length; i++) {
    const word = argText(command[i]!).toLowerCase();
    if (word === 'limit') i += 2;
    else if (word === 'get' || word === 'by') i += 1;
    // The last STORE wins, as in SORT itself.
    else if (word === 'store' && i + 1 < command.length) store = i + 1;
  }
  return store === undefined ? [1] : [1, store];
}

const MIGRATE_OPTION_ARGS: Readonly<Record<string, number>> = { copy: 0, replace: 0, auth: 1, auth2: 2 };

/** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key ...]. */
function migrateKeys(command: RedisCommand): number[] {
  for (let i = 6; i < command.length; i++) {
    const word = argText(command[i]!).toLowerCase();
    if (word === 'keys') {
      // KEYS needs the single-key argument to be empty; otherwise the server refuses the command.
      if (argText(command[3] ?? '').length > 0) return [];
      return Array.from({ length: command.length - i - 1 }, (_, k) => i + 1 + k);
    }
    i += MIGRATE_OPTION_ARGS[word] ?? 0;
  }
  return command.length > 3 ? [3] : [];
}
