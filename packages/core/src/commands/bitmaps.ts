import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg } from '../port/reply.js';
import { HyperLogLogCommands } from './hyperloglog.js';
import { asBit, asInteger } from './replies.js';
import { describe, requireChoice, requireInteger, requireNonNegativeInteger } from './validate.js';

/** A range of `bitcount`: from `start` to `end`, inclusive (negative counts from the end). */
export interface BitRange {
  readonly start: number;
  readonly end: number;
  /** Whether `start` and `end` count bytes (the default) or bits (Redis 7). */
  readonly unit?: 'byte' | 'bit';
}

/** The largest bit offset Redis accepts: a string holds at most 512 MB. */
const MAX_BIT_OFFSET = 2 ** 32 - 1;

function offsetArg(offset: number): number {
  const value = requireNonNegativeInteger(offset, 'offset');
  if (value > MAX_BIT_OFFSET) throw new RedisValidationError(`offset must be at most 2^32 - 1, got ${value}`);
  return value;
}

function bitArg(bit: unknown): 0 | 1 {
  if (bit !== 0 && bit !== 1) throw new RedisValidationError(`a bit must be 0 or 1, got ${describe(bit)}`);
  return bit;
}

function rangeArgs(range: BitRange | undefined): RedisArg[] {
  if (range === undefined) return [];
  const args: RedisArg[] = [requireInteger(range.start, 'start'), requireInteger(range.end, 'end')];
  if (range.unit !== undefined) args.push(requireChoice(range.unit, ['byte', 'bit'], 'unit').toUpperCase());
  return args;
}

/** Commands on strings as arrays of bits. */
export class BitmapCommands extends HyperLogLogCommands {
  /** Sets the bit at `offset` (0 is the most significant bit of the first byte). Resolves with its previous value. */
  setbit(key: string, offset: number, bit: 0 | 1): Promise<0 | 1> {
    return this.call(() => ['SETBIT', this.key(key), offsetArg(offset), bitArg(bit)], asBit);
  }

  /** The bit at `offset`; 0 past the end of the value or for a missing key. */
  getbit(key: string, offset: number): Promise<0 | 1> {
    return this.call(() => ['GETBIT', this.key(key), offsetArg(offset)], asBit);
  }

  /** How many bits are set, in the whole value or in `range`. */
  bitcount(key: string, range?: BitRange): Promise<number> {
    return this.call(() => ['BITCOUNT', this.key(key), ...rangeArgs(range)], asInteger);
  }
}
