import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';

/** One key and the hash slot it lives in. */
export interface KeyInSlot {
  /** The key as sent (with the service's key prefix), as text; bytes that are not UTF-8 show as U+FFFD. */
  readonly key: string;
  readonly slot: number;
}

const SHOWN_KEYS = 8;
const SHOWN_KEY_LENGTH = 64;

/**
 * Keys that must share one hash slot on Redis Cluster do not: the keys of one transaction, one
 * script, or a multi-key command the service cannot split (SUNION, MSETNX, RENAME, ...). Thrown
 * before anything is sent; `keys` names every key with its slot. Co-locate keys that belong
 * together with a hash tag (`hashTag()`).
 */
export class RedisCrossSlotError extends RedisValidationError {
  /** Every key involved, with its slot, in the order they were given. */
  readonly keys: readonly KeyInSlot[];

  constructor(what: string, keys: readonly KeyInSlot[]) {
    const slots = new Set(keys.map((entry) => entry.slot));
    const shown = keys
      .slice(0, SHOWN_KEYS)
      .map(({ key, slot }) => `'${shorten(key)}' (slot ${slot})`)
      .join(', ');
    const more = keys.length > SHOWN_KEYS ? ` and ${keys.length - SHOWN_KEYS} more` : '';
    const message =
      `${what} needs all its keys in one hash slot on Redis Cluster, but they span ${slots.size} slots: ` +
      `${shown}${more}. Start the keys that belong together with the same hash tag, e.g. hashTag('user:1') + ':cart'`;
    super(message, { issues: [{ message }] });
    this.keys = keys;
  }
}

/** A key argument as text for messages. */
export function keyText(key: RedisArg): string {
  if (key instanceof Uint8Array) return new TextDecoder().decode(key);
  return String(key);
}

function shorten(key: string): string {
  return key.length > SHOWN_KEY_LENGTH ? `${key.slice(0, SHOWN_KEY_LENGTH)}...` : key;
}
