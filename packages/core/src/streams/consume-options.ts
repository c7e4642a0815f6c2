import { requireSchema, type Schema } from '../codec/schema.js';
import { describe, requireKey, requirePositiveInteger } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import { requireNonNegativeInteger } from './stream-args.js';
import { requireReadId } from './stream-ids.js';

/** How a consumer waits for new entries. */
export type ConsumeReadMode = 'block' | 'poll';

/** Options of `consume`. */
export interface ConsumeOptions {
  /** The consumer group (create it with `xgroupCreate`, or set `createGroup`). */
  readonly group: string;
  /**
   * This consumer's name in the group. Keep it stable across restarts: a consumer starts by
   * re-reading its own pending entries (those it received before and never acknowledged).
   */
  readonly consumer: string;
  /** The most entries one read fetches; the next read happens only once these were handed out. Default 10. */
  readonly count?: number;
  /**
   * How long one read waits for new entries, in ms (XREADGROUP ... BLOCK, on a dedicated
   * connection); then the consumer checks for claimable entries and waits again. `0` waits until
   * entries arrive. Default 5000. In `poll` mode, the longest pause between two reads.
   */
  readonly blockMs?: number;
  /**
   * Claim entries other consumers (dead ones, or this one before a restart) have held pending,
   * unacknowledged, for at least this many ms (XAUTOCLAIM), checked about as often. Default: no
   * claiming. Choose it well above the time a message takes to process: a live consumer slower
   * than this has its messages claimed and processed twice.
   */
  readonly claimIdleMs?: number;
  /**
   * Move an entry delivered more than this many times (claims and restarts included) to
   * `deadLetterStream` instead of handing it out again. Needs `deadLetterStream`.
   */
  readonly maxDeliveries?: number;
  /**
   * Where entries go that were delivered more than `maxDeliveries` times, or that the caller
   * rejects with `message.deadLetter()`: XADD there and XACK here in one Lua script, so an entry
   * is never lost nor moved twice. A key (it gets the key prefix); on a cluster, give it the same
   * hash tag as the stream (`{orders}` and `{orders}:dead`). Needs the `scripting` capability.
   */
  readonly deadLetterStream?: string;
  /** Ends the iteration (cleanly: `for await` just stops) and unblocks a waiting read. */
  readonly signal?: AbortSignal;
  /**
   * Create the group (and the stream) if it does not exist, delivering entries after `startId`
   * (`$`, the default: only new ones; `0`: everything). Default: the group must exist.
   */
  readonly createGroup?: boolean | { readonly startId?: string };
  /**
   * `block`: wait for entries with a blocking read on a dedicated connection (needs the
   * `blocking` capability). `poll`: non-blocking reads with a growing pause between empty ones
   * (from 10 ms up to `blockMs`, at most 1 s), for drivers without dedicated connections (Upstash
   * REST). Default: `block` when the driver has the capability, else `poll`.
   */
  readonly readMode?: ConsumeReadMode;
}

/** Options of `consume` reading JSON entries (`xaddJson`). */
export interface ConsumeJsonOptions extends ConsumeOptions {
  readonly json: true;
  readonly schema?: undefined;
}

/** Options of `consume` reading model entries (`xaddModel`), checked against `schema`. */
export interface ConsumeModelOptions<S extends Schema> extends ConsumeOptions {
  readonly schema: S;
  readonly json?: boolean;
}

/** The options as the consumer uses them, checked, with defaults. @internal */
export interface ResolvedConsumeOptions {
  readonly group: string;
  readonly consumer: string;
  readonly count: number;
  readonly blockMs: number;
  readonly claimIdleMs: number | undefined;
  readonly maxDeliveries: number | undefined;
  readonly deadLetterStream: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly createGroupAt: string | undefined;
  readonly readMode: ConsumeReadMode;
  /** `undefined`: raw fields; `'json'`: the `json` field; a schema: that field checked. */
  readonly decoding: 'json' | Schema | undefined;
}

const DEFAULT_COUNT = 10;
const DEFAULT_BLOCK_MS = 5000;

/**
 * Checks `consume`'s options (a bad one throws `RedisValidationError` before anything is sent).
 * @param blocking whether the driver has dedicated connections
 * @internal
 */
export function resolveConsumeOptions(
  options: ConsumeOptions & { readonly json?: boolean; readonly schema?: Schema },
  blocking: boolean,
): ResolvedConsumeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new RedisValidationError(
      `consume needs options with a group and a consumer, got ${describe(options)}`,
    );
  }
  const optional = (value: number | undefined, what: string, check: typeof requirePositiveInteger) =>
    value === undefined ? undefined : check(value, what);
  const maxDeliveries = optional(options.maxDeliveries, 'maxDeliveries', requirePositiveInteger);
  const deadLetterStream =
    options.deadLetterStream === undefined
      ? undefined
      : requireKey(options.deadLetterStream, 'deadLetterStream');
  if (maxDeliveries !== undefined && deadLetterStream === undefined) {
    throw new RedisValidationError('maxDeliveries needs a deadLetterStream to move such entries to');
  }
  const readMode = options.readMode ?? (blocking ? 'block' : 'poll');
  if (readMode !== 'block' && readMode !== 'poll') {
    throw new RedisValidationError(`readMode must be 'block' or 'poll', got ${describe(readMode)}`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new RedisValidationError(`signal must be an AbortSignal, got ${describe(options.signal)}`);
  }
  let decoding: ResolvedConsumeOptions['decoding'];
  if (options.schema !== undefined) {
    requireSchema(options.schema);
    decoding = options.schema;
  } else if (options.json === true) decoding = 'json';
  return {
    group: requireKey(options.group, 'group'),
    consumer: requireKey(options.consumer, 'consumer'),
    count: requirePositiveInteger(options.count ?? DEFAULT_COUNT, 'count'),
    blockMs: requireNonNegativeInteger(options.blockMs ?? DEFAULT_BLOCK_MS, 'blockMs'),
    claimIdleMs: optional(options.claimIdleMs, 'claimIdleMs', requirePositiveInteger),
    maxDeliveries,
    deadLetterStream,
    signal: options.signal,
    createGroupAt: createGroupAt(options.createGroup),
    readMode,
    decoding,
  };
}

function createGroupAt(createGroup: ConsumeOptions['createGroup']): string | undefined {
  if (createGroup === undefined || createGroup === false) return undefined;
  if (createGroup === true) return '$';
  if (typeof createGroup !== 'object' || createGroup === null) {
    throw new RedisValidationError(`createGroup must be true or { startId }, got ${describe(createGroup)}`);
  }
  return requireReadId(createGroup.startId ?? '$', ['$'], 'createGroup.startId');
}
