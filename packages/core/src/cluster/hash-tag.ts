import { requireKey } from '../commands/validate.js';
import { crc16Step } from './crc16.js';
import { keySlot, SLOT_COUNT } from './key-slot.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

let slotNames: string[] | undefined;

/**
 * The shortest name (letters and digits, first found in a fixed enumeration, so the same in every
 * process and release) whose slot is `slot`, for each of the 16384 slots. Built once, on first use.
 */
function slotNameTable(): string[] {
  if (slotNames) return slotNames;
  const names: string[] = new Array(SLOT_COUNT);
  let missing = SLOT_COUNT;
  // Breadth-first over ALPHABET^1, ALPHABET^2, ...: 62^3 names nearly cover every slot already.
  // Each name's CRC extends its stem's by one byte (the alphabet is ASCII), so none is rehashed.
  let stems: string[] = [''];
  let stemCrcs: number[] = [0];
  while (missing > 0) {
    const nextStems: string[] = [];
    const nextCrcs: number[] = [];
    for (let i = 0; i < stems.length && missing > 0; i++) {
      for (let c = 0; c < ALPHABET.length; c++) {
        const name = stems[i]! + ALPHABET[c]!;
        const crc = crc16Step(stemCrcs[i]!, ALPHABET.charCodeAt(c));
        nextStems.push(name);
        nextCrcs.push(crc);
        const slot = crc % SLOT_COUNT;
        if (names[slot] === undefined) {
          names[slot] = name;
          missing--;
        }
      }
    }
    stems = nextStems;
    stemCrcs = nextCrcs;
  }
  slotNames = names;
  return names;
}

/**
 * A short name (letters and digits only) that hashes to `slot`: `keySlot(slotName(s)) === s`.
 * Stable across processes and releases. Drivers that route by a key rather than a slot route a
 * command of slot `s` by this name.
 *
 * @throws RangeError when `slot` is not an integer in 0..16383
 */
export function slotName(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) {
    throw new RangeError(`a hash slot is an integer from 0 to ${SLOT_COUNT - 1}, got ${String(slot)}`);
  }
  return slotNameTable()[slot]!;
}

/**
 * A Redis Cluster hash tag for `name`, to put every key that must share a slot (keys of one
 * transaction, one script, one multi-key command) on the same node:
 *
 * ```ts
 * const tag = hashTag(`user:${id}`); // '{user:42}'
 * await redis.transaction((tx) => [tx.incr(`${tag}:visits`), tx.set(`${tag}:seen`, now)]);
 * ```
 *
 * Keys that start with the same tag share a slot, and that slot is `name`'s own:
 * `keySlot(hashTag(name) + anything) === keySlot(name)`, so `hashTag(key)` co-locates new keys
 * with an existing `key`. The tag is `{name}` unless `name` holds a `}` (which would end the tag
 * early): then it is `{<short name of the same slot>}` instead (see `slotName`).
 *
 * Only the first `{...}` of a key counts, so start keys with the tag; a service's `keyPrefix` goes
 * before it (and may therefore not contain `{` on a cluster).
 *
 * @throws RedisValidationError when `name` is not a non-empty string
 */
export function hashTag(name: string): string {
  requireKey(name, 'a hash tag name');
  return name.includes('}') ? `{${slotName(keySlot(name))}}` : `{${name}}`;
}
