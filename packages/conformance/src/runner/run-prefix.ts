import { randomBytes } from 'node:crypto';

/** Every key the kit writes starts with this; nothing else does. */
export const KIT_KEY_PREFIX = 'rsk:';

/**
 * A new run's key prefix, `rsk:<start time, base36 ms>-<random>:`. The start time lets the
 * `cleanup` command find runs older than a bound without any record kept outside Redis.
 */
export function newRunPrefix(now: number = Date.now()): string {
  return `${KIT_KEY_PREFIX}${now.toString(36)}-${randomBytes(6).toString('hex')}:`;
}

const DATED_RUN = /^rsk:([0-9a-z]{6,11})-[0-9a-f]{12}:/;
const ANY_RUN = /^rsk:[^:]+:/;

/** The run prefix a kit key belongs to (`rsk:...:`), or undefined for a key the kit did not write. */
export function runPrefixOf(key: string): string | undefined {
  return ANY_RUN.exec(key)?.[0];
}

/** When the run that wrote `key` started (ms since the epoch), or undefined when its prefix carries no date. */
export function runStartOf(key: string): number | undefined {
  const match = DATED_RUN.exec(key);
  if (!match) return undefined;
  const started = Number.parseInt(match[1]!, 36);
  return Number.isSafeInteger(started) ? started : undefined;
}
